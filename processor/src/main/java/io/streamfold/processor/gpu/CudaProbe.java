package io.streamfold.processor.gpu;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK;

import io.streamfold.processor.aggregation.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Whether this JVM can use a CUDA device, asked once ({@link #once()}) and remembered with its
 * reason: JCuda's native library loads only if the NVIDIA driver's {@code libcuda.so.1} does
 * ({@link LinkageError} otherwise, and {@code NoClassDefFoundError} on every later use in the same
 * JVM), then {@code cuInit} finds a device or answers {@code CUDA_ERROR_NO_DEVICE}
 * ({@link CudaException}). Creates no context: it only reads device 0's attributes.
 *
 * <p>A failure is remembered for the whole JVM, in the system property {@value #FAILURE_PROPERTY}:
 * in dev and test mode Quarkus loads the application again, in a new class loader, on every restart,
 * while JCuda (loaded parent-first) keeps its failed initialisation, and the
 * {@code NoClassDefFoundError} a later use gets does not reliably carry the first error's cause (seen
 * here: from the second Quarkus start on, the missing {@code libcuda.so.1} was no longer named).
 */
public record CudaProbe(Outcome outcome, String detail, Optional<DeviceInfo> device) {

    /** What the probe found. */
    public enum Outcome {
        AVAILABLE(null, "CUDA device found"),
        NO_DRIVER(Reason.NO_DRIVER, "no CUDA driver"),
        JCUDA_UNAVAILABLE(Reason.JCUDA_UNAVAILABLE, "JCuda's native library could not be loaded"),
        NO_DEVICE(Reason.NO_DEVICE, "no CUDA device"),
        CUDA_ERROR(Reason.CUDA_ERROR, "CUDA initialisation failed");

        private final Reason reason;
        private final String description;

        Outcome(Reason reason, String description) {
            this.reason = reason;
            this.description = description;
        }

        /** Why the CPU runs when this is the outcome; {@code null} for {@link #AVAILABLE}. */
        public Reason reason() {
            return reason;
        }
    }

    public boolean available() {
        return outcome == Outcome.AVAILABLE;
    }

    /** One line for logs and test skips, e.g. {@code no CUDA driver: libcuda.so.1: cannot open shared object file: …}. */
    public String reason() {
        return outcome.description + ": " + detail;
    }

    /** The answer for this JVM (per class loader), probed on first use. */
    public static CudaProbe once() {
        return Once.RESULT;
    }

    private static final class Once {
        static final CudaProbe RESULT = probe();
    }

    /** The system property holding an earlier failure of this JVM: {@code OUTCOME:detail}. */
    static final String FAILURE_PROPERTY = "io.streamfold.cuda.probe.failure";

    /**
     * The answer of an earlier probe in this JVM if it failed, else probes now. {@link #once()} is what
     * callers want; this is for it and for the tests.
     */
    static synchronized CudaProbe probe() {
        String earlier = System.getProperty(FAILURE_PROPERTY);
        if (earlier != null) {
            int colon = earlier.indexOf(':');
            return new CudaProbe(Outcome.valueOf(earlier.substring(0, colon)), earlier.substring(colon + 1),
                    Optional.empty());
        }
        CudaProbe found = probeDriver();
        if (!found.available()) {
            System.setProperty(FAILURE_PROPERTY, found.outcome().name() + ":" + found.detail());
        }
        return found;
    }

    private static CudaProbe probeDriver() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new CudaProbe(Outcome.NO_DEVICE, "the driver reports 0 devices", Optional.empty());
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            DeviceInfo info = read(0, device);
            return new CudaProbe(Outcome.AVAILABLE, info.toString(), Optional.of(info));
        } catch (LinkageError e) {
            return linkageFailure(e);
        } catch (CudaException e) {
            Outcome outcome = "CUDA_ERROR_NO_DEVICE".equals(e.getMessage()) ? Outcome.NO_DEVICE : Outcome.CUDA_ERROR;
            return new CudaProbe(outcome, e.getMessage(), Optional.empty());
        }
    }

    /** Reads a device's attributes; needs {@code cuInit}, no context. */
    static DeviceInfo read(int ordinal, CUdevice device) {
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        LaunchShape.Limits limits = new LaunchShape.Limits(attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR),
                optionalAttribute(device, CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK));
        return new DeviceInfo(ordinal, cString(name), attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), memory[0], limits,
                optionalAttribute(device, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE),
                optionalAttribute(device, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH));
    }

    /**
     * Classifies a failure to load JCuda: the driver library missing (the message of the
     * {@link UnsatisfiedLinkError}, or of the cause of a later {@code NoClassDefFoundError}, names
     * {@code libcuda.so}) or anything else.
     */
    static CudaProbe linkageFailure(LinkageError error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            int at = message.indexOf("libcuda.so");
            if (at >= 0) {
                int end = message.indexOf('\n', at);
                return new CudaProbe(Outcome.NO_DRIVER, message.substring(at, end < 0 ? message.length() : end).strip(),
                        Optional.empty());
            }
        }
        String first = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
        return new CudaProbe(Outcome.JCUDA_UNAVAILABLE, error.getClass().getSimpleName() + ": " + first, Optional.empty());
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    /** An attribute some drivers do not report: 0 then. */
    private static int optionalAttribute(CUdevice device, int attribute) {
        try {
            return attribute(device, attribute);
        } catch (CudaException e) {
            return 0;
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
