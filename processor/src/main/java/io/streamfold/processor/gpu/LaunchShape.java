package io.streamfold.processor.gpu;

/**
 * The grid, block and dynamic shared memory one launch of {@code aggregate.cu} uses for a batch:
 * 256 threads a block; shared memory for every cell's statistics when they fit in a block's
 * opt-in limit (else none: the kernel's global-atomics path); as many blocks as the events need,
 * at most as many as the device keeps resident at once (the kernel loops over the events with a
 * grid stride, and each extra block costs a pass over all cells on the shared-memory path).
 * Framework-free: the JCuda host and the emulator tests use the same shape.
 */
public record LaunchShape(int blocks, int threads, int sharedBytes) {

    /** Threads per block. */
    public static final int THREADS = 256;

    /**
     * A device's limits that shape a launch.
     *
     * @param sharedPerBlock          dynamic shared memory one block may use, opted in (bytes)
     * @param sharedPerMultiprocessor shared memory of one multiprocessor (bytes)
     * @param reservedSharedPerBlock  shared memory the system reserves per resident block (bytes)
     */
    public record Limits(int multiprocessors, int threadsPerMultiprocessor, int sharedPerBlock,
            int sharedPerMultiprocessor, int reservedSharedPerBlock) {
    }

    /** The shape for {@code input} on a device with {@code limits}; at least one block, even for an empty batch. */
    public static LaunchShape of(KernelInput input, Limits limits) {
        int shared = input.sharedBytes(limits.sharedPerBlock());
        int residentPerMultiprocessor = Math.max(1, limits.threadsPerMultiprocessor() / THREADS);
        if (shared > 0) {
            int bySharedMemory = limits.sharedPerMultiprocessor() / (shared + limits.reservedSharedPerBlock());
            residentPerMultiprocessor = Math.max(1, Math.min(residentPerMultiprocessor, bySharedMemory));
        }
        long resident = (long) limits.multiprocessors() * residentPerMultiprocessor;
        long needed = Math.max(1, (input.events() + (long) THREADS - 1) / THREADS);
        return new LaunchShape((int) Math.min(needed, resident), THREADS, shared);
    }
}
