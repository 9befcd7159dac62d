package io.streamfold.processor.aggregation;

/**
 * Why a backend runs, as a short code for logs, readiness data and the {@code reason} tag of
 * {@code processor.aggregation.backend} (a closed set, so the tag's cardinality stays bounded).
 */
public enum Reason {
    /** {@code backend=cpu} configured. */
    CONFIGURED_CPU("configured_cpu"),
    /** {@code backend=gpu} configured, and the device computes the CPU engine's cells. */
    CONFIGURED_GPU("configured_gpu"),
    /** The NVIDIA driver's {@code libcuda.so.1} could not be loaded. */
    NO_DRIVER("no_driver"),
    /** JCuda's native library could not be loaded for another reason (platform, missing jar). */
    JCUDA_UNAVAILABLE("jcuda_unavailable"),
    /** The driver loaded but found no CUDA device. */
    NO_DEVICE("no_device"),
    /** {@code cuInit} or a device query failed with another CUDA error. */
    CUDA_ERROR("cuda_error"),
    /** A device was found, but creating the context, loading the kernel module or running it failed. */
    GPU_INIT_FAILED("gpu_init_failed"),
    /** The GPU's cells differed from the CPU engine's on the start-up batches: the GPU is refused. */
    CELLS_DIFFER("cells_differ"),
    /** The start-up calibration found the CPU engine faster at the configured batch size. */
    CPU_FASTER("cpu_faster"),
    /** The start-up calibration found the GPU faster at the configured batch size. */
    GPU_FASTER("gpu_faster");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The short code: lowercase, underscores. */
    public String code() {
        return code;
    }
}
