package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.Backend;
import io.streamfold.processor.aggregation.CpuAggregator;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Chooses the aggregation backend once, at start:
 * <ul>
 *   <li>{@code cpu}: the CPU engine.</li>
 *   <li>{@code gpu}: the GPU, or a {@link GpuUnavailableException} saying why not — no driver, no
 *       device, CUDA error, context or module failure, or cells that differ from the CPU engine's on
 *       the start-up batches — so the processor fails fast.</li>
 *   <li>{@code auto}: the GPU only if a device initialises, computes exactly the CPU engine's cells
 *       on the start-up batches and is faster at the configured batch size ({@link Calibration});
 *       otherwise the CPU engine, with the reason.</li>
 * </ul>
 * A chosen GPU runs behind {@link CpuFallback}. Framework-free: the probe, the opening of the
 * device and the calibration are passed in, so each path is testable without a GPU.
 */
public final class BackendSelector {

    private static final Logger LOG = Logger.getLogger(BackendSelector.class);

    /** Opens the GPU backend on a device; throws {@link GpuUnavailableException} when it cannot. */
    @FunctionalInterface
    public interface GpuOpener {
        Aggregator open(DeviceInfo device);
    }

    /** Compares an opened GPU backend with the CPU engine. */
    @FunctionalInterface
    public interface Calibrator {
        Calibration.Result calibrate(Aggregator gpu);
    }

    private final Supplier<CudaProbe> probe;
    private final GpuOpener opener;
    private final Calibrator calibrator;

    public BackendSelector(Supplier<CudaProbe> probe, GpuOpener opener, Calibrator calibrator) {
        this.probe = probe;
        this.opener = opener;
        this.calibrator = calibrator;
    }

    /** The real thing: this JVM's probe, {@link GpuAggregator}, calibration at {@code batchSize} events. */
    public static BackendSelector forBatches(int batchSize, int dimensions) {
        return new BackendSelector(CudaProbe::once, GpuAggregator::open,
                gpu -> Calibration.run(new CpuAggregator(), gpu, batchSize, dimensions));
    }

    public BackendChoice select(Backend backend) {
        if (backend == Backend.CPU) {
            return cpu(backend, Reason.CONFIGURED_CPU, "streamfold.aggregation.backend=cpu");
        }
        CudaProbe found = probe.get();
        if (!found.available()) {
            return refuse(backend, found.outcome().reason(), found.reason(), null);
        }
        Aggregator gpu;
        try {
            gpu = opener.open(found.device().orElseThrow());
        } catch (GpuUnavailableException e) {
            return refuse(backend, e.reason(), e.getMessage(), e);
        }
        Calibration.Result result;
        try {
            result = calibrator.calibrate(gpu);
        } catch (RuntimeException e) {
            closeQuietly(gpu, e);
            return refuse(backend, Reason.GPU_INIT_FAILED, "the GPU failed on the start-up batches: " + e, e);
        }
        if (result.difference().isPresent()) {
            closeQuietly(gpu, null);
            return refuse(backend, Reason.CELLS_DIFFER, "the GPU's cells differ from the CPU engine's on a start-up batch of "
                    + result.batchSize() + " events, so it is not used: " + result.difference().get(), null);
        }
        if (backend == Backend.GPU) {
            return new BackendChoice(backend, new CpuFallback(gpu, new CpuAggregator()), Reason.CONFIGURED_GPU,
                    result.summary());
        }
        if (result.gpuFaster()) {
            return new BackendChoice(backend, new CpuFallback(gpu, new CpuAggregator()), Reason.GPU_FASTER, result.summary());
        }
        closeQuietly(gpu, null);
        return cpu(backend, Reason.CPU_FASTER, result.summary());
    }

    /** {@code gpu}: fail with the reason; {@code auto}: the CPU engine with the reason. */
    private static BackendChoice refuse(Backend backend, Reason reason, String detail, Throwable cause) {
        if (backend == Backend.GPU) {
            throw new GpuUnavailableException(reason, "streamfold.aggregation.backend=gpu, but the GPU backend cannot run ("
                    + reason.code() + "): " + detail, cause);
        }
        return cpu(backend, reason, detail);
    }

    private static BackendChoice cpu(Backend backend, Reason reason, String detail) {
        return new BackendChoice(backend, new CpuAggregator(), reason, detail);
    }

    private static void closeQuietly(Aggregator gpu, Throwable primary) {
        try {
            gpu.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                LOG.warnf("Closing the GPU backend that is not used failed: %s", e.toString());
            }
        }
    }
}
