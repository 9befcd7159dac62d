package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.Gpu;
import jakarta.enterprise.context.ApplicationScoped;

/** This JVM's GPU through JCuda: {@link CudaProbe} finds it, {@link GpuAggregator} runs the kernels on it. */
@ApplicationScoped
public class CudaGpu implements Gpu {

    @Override
    public Probe probe() {
        CudaProbe found = CudaProbe.once();
        return new Probe(found.available(), found.outcome().reason(), found.reason());
    }

    @Override
    public Aggregator open() {
        return GpuAggregator.open(CudaProbe.once().device().orElseThrow());
    }
}
