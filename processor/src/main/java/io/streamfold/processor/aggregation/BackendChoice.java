package io.streamfold.processor.aggregation;

import java.util.Locale;

/**
 * The backend the processor runs, chosen once at start: the aggregator, why it was chosen (a
 * short {@link Reason}) and one line of detail (the probe's answer, the failure, or the
 * calibration's timings).
 */
public record BackendChoice(Backend configured, Aggregator aggregator, Reason reason, String detail) {

    /** {@code cpu} or {@code gpu}: the {@code backend} metric tag and readiness datum. */
    public String backend() {
        return aggregator.name();
    }

    /** Batches the GPU failed on and the CPU engine aggregated instead; 0 on the CPU backend. */
    public long cpuFallbacks() {
        return aggregator instanceof CpuFallback fallback ? fallback.fallbacks() : 0;
    }

    /** E.g. {@code cpu (backend=auto; no_driver: no CUDA driver: libcuda.so.1: cannot open …)}. */
    public String describe() {
        return backend() + " (backend=" + configured.name().toLowerCase(Locale.ROOT) + "; " + reason.code()
                + ": " + detail + ")";
    }
}
