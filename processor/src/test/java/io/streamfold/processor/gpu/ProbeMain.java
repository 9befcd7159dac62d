package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.Backend;
import io.streamfold.processor.aggregation.BackendChoice;
import io.streamfold.processor.aggregation.BackendSelector;
import io.streamfold.processor.aggregation.GpuUnavailableException;

/**
 * Run by {@link NoGpuTest} in a JVM of its own (a JNI library loads once per JVM, so each driver
 * situation needs a fresh one): prints what the probe found and what {@code auto} and {@code gpu}
 * make of it, one {@code key=value} line each.
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    public static void main(String[] args) {
        CudaProbe probe = CudaProbe.once();
        System.out.println("probe=" + probe.outcome());
        System.out.println("reason=" + probe.reason());
        BackendSelector selector = BackendSelector.of(CudaGpu::new, 1_000, 2);
        BackendChoice auto = selector.select(Backend.AUTO);
        System.out.println("auto=" + auto.backend() + " " + auto.reason().code());
        try {
            BackendChoice gpu = selector.select(Backend.GPU);
            System.out.println("gpu=started " + gpu.describe());
            gpu.aggregator().close();
        } catch (GpuUnavailableException e) {
            System.out.println("gpu=" + e.reason().code() + ": " + e.getMessage());
        }
    }
}
