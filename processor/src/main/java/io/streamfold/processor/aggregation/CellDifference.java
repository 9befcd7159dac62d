package io.streamfold.processor.aggregation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The first way two {@link CellDelta}s differ, if they do: a cell on one side only, or a cell's
 * count, sum, min, max or histogram bucket counts. The guard that keeps a GPU that does not give
 * the CPU engine's cells from ever committing. Seals both deltas.
 */
public final class CellDifference {

    private CellDifference() {
    }

    /** Empty when {@code actual} holds exactly {@code expected}'s cells, else what differs first. */
    public static Optional<String> between(CellDelta expected, CellDelta actual) {
        expected.seal();
        actual.seal();
        Map<Key, Integer> actualCells = new HashMap<>();
        for (int c = 0; c < actual.size(); c++) {
            actualCells.put(Key.of(actual, c), c);
        }
        for (int e = 0; e < expected.size(); e++) {
            Key key = Key.of(expected, e);
            Integer a = actualCells.remove(key);
            if (a == null) {
                return Optional.of(key + ": expected, missing");
            }
            Optional<String> difference = cellDifference(expected, e, actual, a);
            if (difference.isPresent()) {
                return Optional.of(key + ": " + difference.get());
            }
        }
        return actualCells.keySet().stream().findFirst().map(key -> key + ": not expected, present");
    }

    private static Optional<String> cellDifference(CellDelta expected, int e, CellDelta actual, int a) {
        String[] names = {"count", "sum", "min", "max"};
        long[] want = {expected.count(e), expected.sum(e), expected.min(e), expected.max(e)};
        long[] got = {actual.count(a), actual.sum(a), actual.min(a), actual.max(a)};
        for (int i = 0; i < names.length; i++) {
            if (want[i] != got[i]) {
                return Optional.of(names[i] + " " + want[i] + " expected, " + got[i] + " found");
            }
        }
        String wantBuckets = buckets(expected, e);
        String gotBuckets = buckets(actual, a);
        return wantBuckets.equals(gotBuckets) ? Optional.empty()
                : Optional.of("buckets " + wantBuckets + " expected, " + gotBuckets + " found");
    }

    private static String buckets(CellDelta delta, int cell) {
        StringBuilder text = new StringBuilder("{");
        for (int entry = delta.bucketsFrom(cell); entry < delta.bucketsTo(cell); entry++) {
            text.append(text.length() > 1 ? ", " : "").append(delta.bucket(entry)).append('=').append(delta.bucketCount(entry));
        }
        return text.append('}').toString();
    }

    private record Key(long bin, int dimension, int value) {

        static Key of(CellDelta delta, int cell) {
            return new Key(delta.bin(cell), delta.dimension(cell), delta.value(cell));
        }

        @Override
        public String toString() {
            return "cell (minute " + bin + ", dimension " + dimension + ", value " + value + ")";
        }
    }
}
