package io.streamfold.processor.aggregation;

/**
 * A GPU as the choice of engine sees it ({@link BackendSelector}): whether a usable device is there, and the GPU engine
 * opened on it. The gpu package provides the real one; the choice asks for it only where the configured backend is
 * not {@code cpu}, so a CPU-only processor never loads the device code.
 */
public interface Gpu {

    /** Looks for a usable device (once per JVM; later calls give the same answer). */
    Probe probe();

    /** The GPU engine on the device the probe found; throws {@link GpuUnavailableException} when it cannot open. */
    Aggregator open();

    /**
     * What the probe found.
     *
     * @param available whether a usable device is there
     * @param reason    why not ({@code null} when available)
     * @param detail    one line: the device, or the failure
     */
    record Probe(boolean available, Reason reason, String detail) {
    }
}
