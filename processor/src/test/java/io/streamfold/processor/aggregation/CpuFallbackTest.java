package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A batch the GPU backend fails on is aggregated by the CPU engine instead, from a clean delta, and counted. */
class CpuFallbackTest {

    @Test
    void aBatchThePrimaryFailsOnHalfwayGetsExactlyTheCpuEnginesCellsAndIsCounted() {
        EventColumns events = new EventColumns(2);
        SyntheticBatch.fill(events, 1_000, 16, 3, 7);
        CellDelta expected = new CellDelta();
        new CpuAggregator().aggregate(events, expected);
        Aggregator failsHalfway = new Aggregator() {
            @Override
            public void aggregate(EventColumns batch, CellDelta delta) {
                delta.add(delta.cell(1, 0, 0), 42, 42);
                throw new IllegalStateException("GPU aggregation failed: CUDA_ERROR_OUT_OF_MEMORY");
            }

            @Override
            public String name() {
                return "gpu";
            }
        };
        CpuFallback fallback = new CpuFallback(failsHalfway, new CpuAggregator());

        CellDelta cells = new CellDelta();
        fallback.aggregate(events, cells);
        fallback.aggregate(events, new CellDelta());

        assertThat(CellDifference.between(expected, cells)).isEmpty();
        assertThat(fallback.fallbacks()).isEqualTo(2);
        assertThat(fallback.name()).isEqualTo("gpu");
    }

    @Test
    void aWorkingPrimaryIsAllThatRuns() {
        EventColumns events = new EventColumns(1);
        SyntheticBatch.fill(events, 100, 4, 1, 1);
        Aggregator neverCalled = new Aggregator() {
            @Override
            public void aggregate(EventColumns batch, CellDelta delta) {
                throw new AssertionError("the fallback ran although the primary worked");
            }

            @Override
            public String name() {
                return "never";
            }
        };
        CpuFallback fallback = new CpuFallback(new CpuAggregator(), neverCalled);

        CellDelta expected = new CellDelta();
        new CpuAggregator().aggregate(events, expected);

        CellDelta cells = new CellDelta();
        fallback.aggregate(events, cells);

        assertThat(CellDifference.between(expected, cells)).isEmpty();
        assertThat(fallback.fallbacks()).isZero();
    }
}
