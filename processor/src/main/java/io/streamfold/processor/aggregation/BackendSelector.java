package io.streamfold.processor.aggregation;

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

    /** Compares an opened GPU backend with the CPU engine. */
    @FunctionalInterface
    public interface Calibrator {
        Calibration.Result calibrate(Aggregator gpu);
    }

    private final Supplier<Gpu.Probe> probe;
    private final Supplier<Aggregator> opener;
    private final Calibrator calibrator;

    /**
     * @param probe      looks for a usable device ({@link Gpu#probe()})
     * @param opener     opens the GPU engine on it ({@link Gpu#open()}; throws {@link GpuUnavailableException})
     * @param calibrator compares it with the CPU engine
     */
    public BackendSelector(Supplier<Gpu.Probe> probe, Supplier<Aggregator> opener, Calibrator calibrator) {
        this.probe = probe;
        this.opener = opener;
        this.calibrator = calibrator;
    }

    /** The choice with {@code gpu}, asked for only where the backend is not {@code cpu}, calibrated at {@code batchSize}. */
    public static BackendSelector of(Supplier<Gpu> gpu, int batchSize, int dimensions) {
        return new BackendSelector(() -> gpu.get().probe(), () -> gpu.get().open(),
                opened -> Calibration.run(new CpuAggregator(), opened, batchSize, dimensions));
    }

    public BackendChoice select(Backend backend) {
        if (backend == Backend.CPU) {
            return cpu(backend, Reason.CONFIGURED_CPU, "streamfold.aggregation.backend=cpu");
        }
        Gpu.Probe found = probe.get();
        if (!found.available()) {
            return refuse(backend, found.reason(), found.detail(), null);
        }
        Aggregator gpu;
        try {
            gpu = opener.get();
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
