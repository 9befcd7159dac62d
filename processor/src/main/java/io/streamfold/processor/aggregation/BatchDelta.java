package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * What one batch adds to the aggregates: event count and exact value sum (fixed-point units) over
 * all events and per value of each dimension. Dimension values are dictionary ids; cells are
 * primitive arrays indexed by id, and only the cells a batch touched are listed and cleared, so a
 * batch costs no allocation once the arrays have grown. Reused across batches via {@link #clear()}.
 */
public final class BatchDelta {

    /** Distinct values remembered per dimension before the dictionaries start afresh (bounds memory). */
    static final int DICTIONARY_LIMIT = 1 << 20;

    private final Dictionary[] dictionaries;
    private long[][] counts;
    private long[][] sums;
    private int[][] touched;
    private final int[] touchedCount;
    private long count;
    private long sum;

    public BatchDelta(int dimensions) {
        dictionaries = new Dictionary[dimensions];
        counts = new long[dimensions][64];
        sums = new long[dimensions][64];
        touched = new int[dimensions][64];
        touchedCount = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dictionaries[d] = new Dictionary();
        }
    }

    /** The dictionary of the {@code index}-th dimension: value bytes → the id {@link #add} takes. */
    public Dictionary dictionary(int index) {
        return dictionaries[index];
    }

    /** Adds one event: {@code ids[d]} is its value's id in {@link #dictionary(int) dictionary(d)}. */
    public void add(int[] ids, long value) {
        count++;
        sum = Math.addExact(sum, value);
        for (int d = 0; d < dictionaries.length; d++) {
            int id = ids[d];
            if (id >= counts[d].length) {
                grow(d, id);
            }
            if (counts[d][id] == 0) {
                touched[d][touchedCount[d]++] = id;
            }
            counts[d][id]++;
            sums[d][id] = Math.addExact(sums[d][id], value);
        }
    }

    public void clear() {
        count = 0;
        sum = 0;
        for (int d = 0; d < dictionaries.length; d++) {
            for (int k = 0; k < touchedCount[d]; k++) {
                counts[d][touched[d][k]] = 0;
                sums[d][touched[d][k]] = 0;
            }
            touchedCount[d] = 0;
            if (dictionaries[d].size() > DICTIONARY_LIMIT) {
                dictionaries[d].clear();
            }
        }
    }

    public long count() {
        return count;
    }

    public long sum() {
        return sum;
    }

    public int dimensions() {
        return dictionaries.length;
    }

    /** How many values of the {@code index}-th dimension this batch touched. */
    public int cells(int index) {
        return touchedCount[index];
    }

    /** The value of the {@code k}-th touched cell of a dimension. */
    public String value(int index, int k) {
        return dictionaries[index].value(touched[index][k]);
    }

    public long count(int index, int k) {
        return counts[index][touched[index][k]];
    }

    public long sum(int index, int k) {
        return sums[index][touched[index][k]];
    }

    private void grow(int d, int id) {
        int capacity = Math.max(counts[d].length * 2, id + 1);
        counts[d] = Arrays.copyOf(counts[d], capacity);
        sums[d] = Arrays.copyOf(sums[d], capacity);
        touched[d] = Arrays.copyOf(touched[d], capacity);
    }
}
