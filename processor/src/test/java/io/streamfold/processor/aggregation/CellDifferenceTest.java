package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The comparison that keeps a GPU giving other cells than the CPU engine from ever being used. */
class CellDifferenceTest {

    @Test
    void theSameCellsInAnotherOrderAreNoDifference() {
        CellDelta expected = new CellDelta();
        add(expected, 5, 0, 1, 10, 3);
        add(expected, 5, 1, 2, -4, 7);
        CellDelta actual = new CellDelta();
        add(actual, 5, 1, 2, -4, 7);
        add(actual, 5, 0, 1, 10, 3);

        assertThat(CellDifference.between(expected, actual)).isEmpty();
    }

    @Test
    void namesTheFirstStatisticThatDiffers() {
        CellDelta expected = new CellDelta();
        add(expected, 5, 1, 2, -4, 7);
        add(expected, 5, 1, 2, 9, 8);
        CellDelta actual = new CellDelta();
        add(actual, 5, 1, 2, -4, 7);
        add(actual, 5, 1, 2, 8, 8);

        assertThat(CellDifference.between(expected, actual))
                .contains("cell (minute 5, dimension 1, value 2): sum 5 expected, 4 found");
    }

    @Test
    void namesHistogramBucketsThatDifferWhenTheStatisticsAgree() {
        CellDelta expected = new CellDelta();
        add(expected, 5, 1, 2, 3, 3);
        add(expected, 5, 1, 2, 3, 7);
        CellDelta actual = new CellDelta();
        add(actual, 5, 1, 2, 3, 7);
        add(actual, 5, 1, 2, 3, 7);

        assertThat(CellDifference.between(expected, actual))
                .contains("cell (minute 5, dimension 1, value 2): buckets {3=1, 7=1} expected, {7=2} found");
    }

    @Test
    void namesACellMissingOnEitherSide() {
        CellDelta one = new CellDelta();
        add(one, 5, 0, 1, 10, 3);
        CellDelta two = new CellDelta();
        add(two, 5, 0, 1, 10, 3);
        add(two, 6, CellDelta.TOTAL, 0, 10, 3);

        assertThat(CellDifference.between(two, one)).contains("cell (minute 6, dimension -1, value 0): expected, missing");
        assertThat(CellDifference.between(one, two)).contains("cell (minute 6, dimension -1, value 0): not expected, present");
    }

    private static void add(CellDelta delta, long minute, int dimension, int value, long amount, int bucket) {
        delta.add(delta.cell(minute, dimension, value), amount, bucket);
    }
}
