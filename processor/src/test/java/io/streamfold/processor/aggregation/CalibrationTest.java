package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up comparison: any difference in cells is caught; speed is decided by the measured medians alone. */
class CalibrationTest {

    @Test
    void theCpuEngineAgainstItselfShowsNoDifferenceOnAnyBatch() {
        Calibration.Result result = Calibration.run(new CpuAggregator(), new CpuAggregator(), 500, 2);

        assertThat(result.difference()).isEmpty();
        assertThat(result.batchSize()).isEqualTo(500);
    }

    @Test
    void aBackendThatLosesTheFirstEventIsCaughtOnTheFirstBatchWithTheCellItGotWrong() {
        Calibration.Result result = Calibration.run(new CpuAggregator(), new LosesFirstEvent(), 500, 2);

        // the first cell of the CPU engine's delta is (minute, dimension 0, id) of the first event of batch 0
        EventColumns batch = new EventColumns(2);
        SyntheticBatch.fill(batch, 500, Calibration.VALUES_PER_DIMENSION, Calibration.MINUTES, 0);
        long minute = Aggregator.minuteOf(batch.timestamps()[0]);
        int id = batch.ids(0)[0];
        int count = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (Aggregator.minuteOf(batch.timestamps()[i]) == minute && batch.ids(0)[i] == id) {
                count++;
            }
        }
        String cell = "cell (minute " + minute + ", dimension 0, value " + id + "): ";
        assertThat(result.difference()).contains(count == 1 ? cell + "expected, missing"
                : cell + "count " + count + " expected, " + (count - 1) + " found");
    }

    @Test
    void theGpuCountsAsFasterOnlyAtNineTenthsOfTheCpuTimeOrLess() {
        assertThat(new Calibration.Result(1_000, 1_000_000, 900_000, Optional.empty()).gpuFaster()).isTrue();
        assertThat(new Calibration.Result(1_000, 1_000_000, 900_001, Optional.empty()).gpuFaster()).isFalse();
        assertThat(new Calibration.Result(1_000, 1_000_000, 900_000, Optional.empty()).summary())
                .isEqualTo("GPU 0.900 ms vs CPU 1.000 ms per 1000-event batch (median of 5)");
    }

    /** A wrong backend: the CPU engine on all events but the first. */
    private static final class LosesFirstEvent implements Aggregator {

        private final EventColumns rest = new EventColumns(2);

        @Override
        public void aggregate(EventColumns events, CellDelta delta) {
            rest.clear();
            for (int i = 1; i < events.size(); i++) {
                rest.add(new int[] {events.ids(0)[i], events.ids(1)[i]}, events.values()[i], events.timestamps()[i]);
            }
            new CpuAggregator().aggregate(rest, delta);
        }

        @Override
        public String name() {
            return "loses-first-event";
        }
    }
}
