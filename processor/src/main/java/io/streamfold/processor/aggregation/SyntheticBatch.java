package io.streamfold.processor.aggregation;

import java.util.SplittableRandom;

/**
 * Made-up batches for the start-up calibration and the benchmark: events over a few minutes, each
 * dimension's id uniform over a given number of values, and values mixing the histogram's exact
 * range, negatives, zero and the largest magnitudes of the default schema. Deterministic per seed.
 */
public final class SyntheticBatch {

    /** The time the events lie before (epoch ms). */
    static final long NOW = 1_795_000_000_000L;
    /** The largest magnitude of a value in the default schema (1e9 with 2 decimals, in units). */
    static final long MAX_ABS = 100_000_000_000L;

    private SyntheticBatch() {
    }

    /**
     * Clears {@code columns} and fills it with {@code events} events over {@code minutes} minutes,
     * {@code valuesPerDimension} distinct ids in each dimension.
     */
    public static void fill(EventColumns columns, int events, int valuesPerDimension, int minutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[columns.dimensions()];
        columns.clear();
        for (int i = 0; i < events; i++) {
            for (int d = 0; d < ids.length; d++) {
                ids[d] = random.nextInt(valuesPerDimension);
            }
            long value = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(-300, 300);
                case 1 -> random.nextLong(-MAX_ABS, MAX_ABS + 1);
                case 2 -> random.nextInt(3) - 1;
                default -> random.nextLong(0, 100_000);
            };
            columns.add(ids, value, NOW - random.nextLong(minutes * 60_000L));
        }
    }
}
