package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * The valid events of one batch, column by column, as an {@link Aggregator} takes them: event
 * time (epoch ms), value (fixed-point units) and, per dimension, the value's dictionary id. Plain
 * arrays so a GPU backend copies them as they are. Reused across batches via {@link #clear()}.
 */
public final class EventColumns {

    private long[] timestamps = new long[1024];
    private long[] values = new long[1024];
    private final int[][] ids;
    private int size;

    public EventColumns(int dimensions) {
        ids = new int[dimensions][1024];
    }

    /** Adds one event: {@code dimensionIds[d]} is its value's id in dimension d's dictionary. */
    public void add(int[] dimensionIds, long value, long ts) {
        if (size == timestamps.length) {
            int capacity = size * 2;
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
            for (int d = 0; d < ids.length; d++) {
                ids[d] = Arrays.copyOf(ids[d], capacity);
            }
        }
        timestamps[size] = ts;
        values[size] = value;
        for (int d = 0; d < ids.length; d++) {
            ids[d][size] = dimensionIds[d];
        }
        size++;
    }

    public int size() {
        return size;
    }

    public int dimensions() {
        return ids.length;
    }

    /** Event times in epoch ms; the first {@link #size()} slots are this batch's. */
    public long[] timestamps() {
        return timestamps;
    }

    /** Values in fixed-point units; the first {@link #size()} slots are this batch's. */
    public long[] values() {
        return values;
    }

    /** Dictionary ids of dimension {@code d}'s values; the first {@link #size()} slots are this batch's. */
    public int[] ids(int d) {
        return ids[d];
    }

    public void clear() {
        size = 0;
    }
}
