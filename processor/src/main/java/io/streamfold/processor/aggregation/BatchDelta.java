package io.streamfold.processor.aggregation;

import io.streamfold.contract.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch adds to the aggregates: event count and exact value sum (fixed-point units) over
 * all events and per value of each dimension. Reused across batches via {@link #clear()}.
 */
public final class BatchDelta {

    private final List<Map<String, Cell>> byDimension;
    private long count;
    private long sum;

    public BatchDelta(int dimensions) {
        this.byDimension = new ArrayList<>(dimensions);
        for (int i = 0; i < dimensions; i++) {
            byDimension.add(new LinkedHashMap<>());
        }
    }

    public void add(Event event) {
        count++;
        sum = Math.addExact(sum, event.value());
        for (int d = 0; d < byDimension.size(); d++) {
            byDimension.get(d).computeIfAbsent(event.dimension(d), value -> new Cell()).add(event.value());
        }
    }

    public void clear() {
        count = 0;
        sum = 0;
        byDimension.forEach(Map::clear);
    }

    public long count() {
        return count;
    }

    public long sum() {
        return sum;
    }

    public int dimensions() {
        return byDimension.size();
    }

    /** Dimension value → its cell, for the {@code index}-th dimension of the schema. */
    public Map<String, Cell> cells(int index) {
        return byDimension.get(index);
    }

    /** Count and sum of one dimension value within the batch. */
    public static final class Cell {
        private long count;
        private long sum;

        void add(long value) {
            count++;
            sum = Math.addExact(sum, value);
        }

        public long count() {
            return count;
        }

        public long sum() {
            return sum;
        }
    }
}
