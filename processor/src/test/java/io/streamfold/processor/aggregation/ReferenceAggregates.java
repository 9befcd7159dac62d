package io.streamfold.processor.aggregation;

import io.streamfold.contract.Event;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.SessionSummary;
import io.streamfold.contract.ValueHistogram;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The naive reference of the aggregation model: every event added to every cell it belongs to,
 * one at a time, with maps and no cleverness. Its cells and its Redis image are what the engine
 * and the commit script must produce exactly.
 */
public final class ReferenceAggregates {

    /** Name of the total in {@link #cells()}' keys. */
    public static final String TOTAL = "total";
    /** Bin of the all-time cells, which only {@link #redisImage} holds: a batch's delta has minute cells only. */
    private static final String ALL_TIME = "*";

    private final List<String> dimensions;
    private final Map<String, Cell> cells = new TreeMap<>();
    private final Map<String, long[]> sessions = new TreeMap<>();

    public ReferenceAggregates(List<String> dimensions) {
        this.dimensions = List.copyOf(dimensions);
    }

    public void add(Event event) {
        String minute = String.valueOf(Math.floorDiv(event.ts(), 60_000L));
        for (String bin : List.of(minute, ALL_TIME)) {
            cell(bin, TOTAL, "").add(event.value());
            for (int d = 0; d < dimensions.size(); d++) {
                cell(bin, dimensions.get(d), event.dimension(d)).add(event.value());
            }
        }
        long[] session = sessions.computeIfAbsent(event.sessionId(), id -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
        session[0]++;
        session[1] += event.value();
        session[2] = Math.min(session[2], event.ts());
        session[3] = Math.max(session[3], event.ts());
    }

    public void addAll(List<Event> events) {
        events.forEach(this::add);
    }

    /** The cells a delta of all events holds, by "minute|dimension|value" (dimension {@value #TOTAL} with value ""). */
    public Map<String, Cell> cells() {
        Map<String, Cell> minuteCells = new TreeMap<>(cells);
        minuteCells.keySet().removeIf(name -> name.startsWith(ALL_TIME + "|"));
        return minuteCells;
    }

    /** Every session's summary, by session id. */
    public Map<String, SessionSummary> sessions() {
        Map<String, SessionSummary> summaries = new TreeMap<>();
        sessions.forEach((id, s) -> summaries.put(id, new SessionSummary(s[0], s[1], s[2], s[3])));
        return summaries;
    }

    /**
     * The aggregate hashes the commit script must have written, key → field → value (sessions and HyperLogLogs aside),
     * with the all-time ones as a reader finds them: with every minute settled.
     */
    public Map<String, Map<String, String>> redisImage(KeyLayout keys) {
        Map<String, Map<String, String>> image = new TreeMap<>();
        cells.forEach((name, cell) -> {
            String[] parts = name.split("\\|", 3);
            String bin = parts[0];
            String dimension = parts[1];
            String value = parts[2];
            boolean total = dimension.equals(TOTAL);
            String histogram;
            if (bin.equals(ALL_TIME)) {
                if (total) {
                    put(image, keys.totals(), KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX, cell);
                    histogram = keys.histogram();
                } else {
                    image.computeIfAbsent(keys.countsBy(dimension), k -> new TreeMap<>()).put(value, String.valueOf(cell.count));
                    image.computeIfAbsent(keys.sumsBy(dimension), k -> new TreeMap<>()).put(value, String.valueOf(cell.sum));
                    image.computeIfAbsent(keys.minsBy(dimension), k -> new TreeMap<>()).put(value, String.valueOf(cell.min));
                    image.computeIfAbsent(keys.maxesBy(dimension), k -> new TreeMap<>()).put(value, String.valueOf(cell.max));
                    histogram = keys.histogram(dimension, value);
                }
            } else {
                long minute = Long.parseLong(bin);
                if (total) {
                    put(image, keys.minuteBin(minute), KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX, cell);
                    histogram = keys.minuteHistogram(minute);
                } else {
                    put(image, keys.minuteBin(minute), KeyLayout.binField(KeyLayout.COUNT, dimension, value),
                            KeyLayout.binField(KeyLayout.SUM, dimension, value), KeyLayout.binField(KeyLayout.MIN, dimension, value),
                            KeyLayout.binField(KeyLayout.MAX, dimension, value), cell);
                    histogram = keys.minuteHistogram(minute, dimension, value);
                }
            }
            Map<String, String> buckets = image.computeIfAbsent(histogram, k -> new TreeMap<>());
            cell.buckets.forEach((bucket, count) -> buckets.put(String.valueOf(bucket), String.valueOf(count)));
        });
        return image;
    }

    private static void put(Map<String, Map<String, String>> image, String key, String countField, String sumField,
            String minField, String maxField, Cell cell) {
        Map<String, String> hash = image.computeIfAbsent(key, k -> new TreeMap<>());
        hash.put(countField, String.valueOf(cell.count));
        hash.put(sumField, String.valueOf(cell.sum));
        hash.put(minField, String.valueOf(cell.min));
        hash.put(maxField, String.valueOf(cell.max));
    }

    private Cell cell(String bin, String dimension, String value) {
        return cells.computeIfAbsent(bin + "|" + dimension + "|" + value, k -> new Cell());
    }

    /** The cells of a computed delta, named like {@link #cells()}. */
    public static Map<String, Cell> cellsOf(BatchDelta delta, List<String> dimensions) {
        CellDelta cells = delta.cells();
        Map<String, Cell> named = new TreeMap<>();
        for (int c = 0; c < cells.size(); c++) {
            int d = cells.dimension(c);
            String bin = String.valueOf(cells.bin(c));
            String name = d == CellDelta.TOTAL
                    ? bin + "|" + TOTAL + "|"
                    : bin + "|" + dimensions.get(d) + "|" + delta.dictionary(d).value(cells.value(c));
            Cell cell = new Cell();
            cell.count = cells.count(c);
            cell.sum = cells.sum(c);
            cell.min = cells.min(c);
            cell.max = cells.max(c);
            for (int e = cells.bucketsFrom(c); e < cells.bucketsTo(c); e++) {
                cell.buckets.put(cells.bucket(e), cells.bucketCount(e));
            }
            if (named.put(name, cell) != null) {
                throw new AssertionError("cell " + name + " appears twice");
            }
        }
        return named;
    }

    /** One cell's statistics; equal when every statistic and bucket is. */
    public static final class Cell {
        long count;
        long sum;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        final TreeMap<Integer, Long> buckets = new TreeMap<>();

        void add(long value) {
            count++;
            sum = Math.addExact(sum, value);
            min = Math.min(min, value);
            max = Math.max(max, value);
            buckets.merge(ValueHistogram.bucket(value), 1L, Long::sum);
        }

        /** Adds another batch's delta of the same cell. */
        public void merge(Cell other) {
            count += other.count;
            sum = Math.addExact(sum, other.sum);
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            other.buckets.forEach((bucket, n) -> buckets.merge(bucket, n, Long::sum));
        }

        public long count() {
            return count;
        }

        public TreeMap<Integer, Long> buckets() {
            return buckets;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cell c && c.count == count && c.sum == sum && c.min == min && c.max == max
                    && c.buckets.equals(buckets);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count * 31 + sum);
        }

        @Override
        public String toString() {
            return "{count=" + count + ", sum=" + sum + ", min=" + min + ", max=" + max + ", buckets=" + buckets + "}";
        }
    }
}
