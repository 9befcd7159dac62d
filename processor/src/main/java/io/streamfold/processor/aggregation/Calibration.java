package io.streamfold.processor.aggregation;

import java.util.Arrays;
import java.util.Optional;

/**
 * The start-up comparison of the GPU with the CPU engine at the configured batch size: a few
 * synthetic batches ({@link SyntheticBatch}: 64 values per dimension over 2 minutes, like live
 * traffic) through both, every result compared cell by cell ({@link CellDifference}), and the
 * median time of each after two warm-up rounds.
 */
public final class Calibration {

    static final int WARM_UPS = 2;
    static final int ROUNDS = 5;
    static final int VALUES_PER_DIMENSION = 64;
    static final int MINUTES = 2;

    /**
     * What the calibration measured.
     *
     * @param difference the first difference between the two backends' cells, if any
     */
    public record Result(int batchSize, long cpuNanos, long gpuNanos, Optional<String> difference) {

        /** Whether the GPU took at most 90 % of the CPU engine's time (a margin against noise). */
        public boolean gpuFaster() {
            return gpuNanos * 10 <= cpuNanos * 9;
        }

        /** E.g. {@code GPU 0.412 ms vs CPU 0.031 ms per 1000-event batch (median of 5)}. */
        public String summary() {
            return String.format("GPU %.3f ms vs CPU %.3f ms per %d-event batch (median of %d)", gpuNanos / 1e6,
                    cpuNanos / 1e6, batchSize, ROUNDS);
        }
    }

    private Calibration() {
    }

    /** Runs both backends on the same batches; stops at the first batch whose cells differ. */
    public static Result run(Aggregator cpu, Aggregator gpu, int batchSize, int dimensions) {
        EventColumns columns = new EventColumns(dimensions);
        CellDelta cpuCells = new CellDelta();
        CellDelta gpuCells = new CellDelta();
        long[] cpuTimes = new long[ROUNDS];
        long[] gpuTimes = new long[ROUNDS];
        for (int round = 0; round < WARM_UPS + ROUNDS; round++) {
            SyntheticBatch.fill(columns, batchSize, VALUES_PER_DIMENSION, MINUTES, round);
            long cpuNanos = timed(cpu, columns, cpuCells);
            long gpuNanos = timed(gpu, columns, gpuCells);
            Optional<String> difference = CellDifference.between(cpuCells, gpuCells);
            if (difference.isPresent()) {
                return new Result(batchSize, cpuNanos, gpuNanos, difference);
            }
            if (round >= WARM_UPS) {
                cpuTimes[round - WARM_UPS] = cpuNanos;
                gpuTimes[round - WARM_UPS] = gpuNanos;
            }
        }
        return new Result(batchSize, median(cpuTimes), median(gpuTimes), Optional.empty());
    }

    private static long timed(Aggregator aggregator, EventColumns columns, CellDelta cells) {
        cells.clear();
        long started = System.nanoTime();
        aggregator.aggregate(columns, cells);
        return System.nanoTime() - started;
    }

    private static long median(long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
