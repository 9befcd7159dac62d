package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.CellDelta;
import java.util.Arrays;

/**
 * What {@code aggregate.cu} leaves in device memory for one {@link KernelInput}: per dense cell
 * count, sum, min and max, and the histogram table (key {@code cellId << 16 | (bucket + 2^15)},
 * 0 for an empty slot; count). {@link #addTo} turns it into the (minute, dimension, value) cells
 * of a {@link CellDelta}, the same cells the CPU engine gives.
 */
public final class KernelOutput {

    private static final int BUCKET_OFFSET = 1 << 15;

    private final long[] counts;
    private final long[] sums;
    private final long[] mins;
    private final long[] maxs;
    private final long[] tableKeys;
    private final long[] tableCounts;

    /** Buffers sized for {@code input}, initialised as the kernel expects them before a launch. */
    public KernelOutput(KernelInput input) {
        counts = new long[input.cells()];
        sums = new long[input.cells()];
        mins = new long[input.cells()];
        maxs = new long[input.cells()];
        Arrays.fill(mins, Long.MAX_VALUE);
        Arrays.fill(maxs, Long.MIN_VALUE);
        tableKeys = new long[input.tableSize()];
        tableCounts = new long[input.tableSize()];
    }

    public long[] counts() {
        return counts;
    }

    public long[] sums() {
        return sums;
    }

    public long[] mins() {
        return mins;
    }

    public long[] maxs() {
        return maxs;
    }

    public long[] tableKeys() {
        return tableKeys;
    }

    public long[] tableCounts() {
        return tableCounts;
    }

    /** Adds the cells with events, and their histogram entries, to {@code delta}. */
    public void addTo(KernelInput input, CellDelta delta) {
        int[] deltaCell = new int[input.cells()];
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                deltaCell[c] = delta.cell(input.minuteOfCell(c), input.dimensionOfCell(c), input.valueOfCell(c));
                delta.merge(deltaCell[c], counts[c], sums[c], mins[c], maxs[c]);
            }
        }
        for (int slot = 0; slot < tableKeys.length; slot++) {
            long key = tableKeys[slot];
            if (key != 0) {
                int cell = (int) (key >>> 16);
                if (counts[cell] == 0) {
                    throw new IllegalStateException("histogram entry of cell " + cell + ", which counted no event");
                }
                delta.addToBucket(deltaCell[cell], (int) (key & 0xFFFF) - BUCKET_OFFSET, tableCounts[slot]);
            }
        }
    }
}
