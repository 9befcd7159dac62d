package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.aggregation.GpuUnavailableException;
import io.streamfold.processor.aggregation.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jcuda.CudaException;

/**
 * The GPU backend: packs a batch ({@link KernelInput}), runs {@code aggregate.cu} on the device
 * ({@link DeviceSession}) and unpacks the result into the caller's {@link CellDelta}
 * ({@link KernelOutput}) — the same cells as the CPU engine.
 *
 * <p>Owns one thread, on which every CUDA call is made: the context is created there, used there
 * and destroyed there by {@link #close()}. {@link #aggregate} packs and unpacks on the caller's
 * thread and hands the device part to that thread, waiting for it.
 *
 * <p>Overlap: within a batch the upload runs on one stream while the other initialises the
 * outputs, and the kernel and download follow in order. Across batches there is none: the
 * {@link Aggregator} contract returns a batch's cells before the next batch exists (the consume
 * loop aggregates one batch at a time, overlapping it only with the previous batch's commit), so a
 * second batch cannot be uploaded while the first one computes. Double buffering would need an asynchronous interface.
 *
 * <p>Not thread-safe (like every {@link Aggregator}): one caller at a time.
 */
public final class GpuAggregator implements Aggregator {

    static final String KERNEL_RESOURCE = "/io/streamfold/processor/gpu/aggregate.fatbin";

    private final DeviceInfo device;
    private final ExecutorService thread;
    private final DeviceSession session;
    private DeviceTimes lastTimes;
    private boolean closed;

    private GpuAggregator(DeviceInfo device, ExecutorService thread, DeviceSession session) {
        this.device = device;
        this.thread = thread;
        this.session = session;
    }

    /**
     * Opens the device {@code device} describes: a context on a thread of its own, the shipped
     * kernel module, streams and events.
     *
     * @throws GpuUnavailableException ({@link Reason#GPU_INIT_FAILED}) when the context cannot be
     *                                 created or the kernel module not loaded, saying which
     */
    public static GpuAggregator open(DeviceInfo device) {
        byte[] image = kernelImage();
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "gpu-aggregator");
            t.setDaemon(true);
            return t;
        });
        try {
            DeviceSession session = thread.submit(
                    () -> DeviceSession.open(device.ordinal(), image, device.limits().sharedPerBlock())).get();
            return new GpuAggregator(device, thread, session);
        } catch (ExecutionException e) {
            thread.shutdown();
            Throwable cause = e.getCause();
            throw new GpuUnavailableException(Reason.GPU_INIT_FAILED, "could not open " + device + " and load "
                    + KERNEL_RESOURCE + ": " + cause, cause);
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new GpuUnavailableException(Reason.GPU_INIT_FAILED, "interrupted while opening " + device, e);
        }
    }

    @Override
    public void aggregate(EventColumns events, CellDelta delta) {
        if (closed) {
            throw new IllegalStateException("the GPU aggregator is closed");
        }
        if (events.size() == 0 || events.dimensions() == 0) {
            lastTimes = new DeviceTimes(0, 0, 0, 0, 0, 0);
            return;
        }
        KernelInput input = KernelInput.pack(events);
        KernelOutput output = new KernelOutput(input);
        LaunchShape shape = LaunchShape.of(input, device.limits());
        lastTimes = onDeviceThread(() -> session.run(input, shape, output));
        output.addTo(input, delta);
    }

    /** The device times of the last {@link #aggregate} (zeros for an empty batch); {@code null} before the first. */
    public DeviceTimes lastTimes() {
        return lastTimes;
    }

    public DeviceInfo device() {
        return device;
    }

    @Override
    public String name() {
        return "gpu";
    }

    /** Frees the device and host buffers, streams, module and context on the device thread, then stops it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onDeviceThread(() -> {
                session.close();
                return null;
            });
        } finally {
            thread.shutdown();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T onDeviceThread(Callable<T> work) {
        try {
            return thread.submit(work).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CudaException || cause instanceof LinkageError) {
                throw new IllegalStateException("GPU aggregation failed on " + device + ": " + cause, cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the GPU", e);
        }
    }

    private static byte[] kernelImage() {
        try (InputStream in = GpuAggregator.class.getResourceAsStream(KERNEL_RESOURCE)) {
            if (in == null) {
                throw new GpuUnavailableException(Reason.GPU_INIT_FAILED, KERNEL_RESOURCE + " is not on the classpath",
                        null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + KERNEL_RESOURCE, e);
        }
    }
}
