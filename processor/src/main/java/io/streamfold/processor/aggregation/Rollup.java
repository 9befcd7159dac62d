package io.streamfold.processor.aggregation;

/**
 * Adds the grand total per minute to a batch's (minute, dimension, value) cells, rolled up from dimension 0, which
 * every event has exactly once. Costs one pass over cells and histogram entries, not over events. (All-time cells are
 * not sent: the commit script adds each minute's bin to the all-time keys once the minute is over.)
 */
public final class Rollup {

    private int[] targets = new int[64];

    /** Rolls up the cells an {@link Aggregator} put in {@code delta}, then seals it. */
    public void addTo(CellDelta delta) {
        int cells = delta.size();
        int entries = delta.histogramEntries();
        if (targets.length < cells) {
            targets = new int[cells];
        }
        for (int c = 0; c < cells; c++) {
            targets[c] = delta.dimension(c) == 0 ? delta.cell(delta.bin(c), CellDelta.TOTAL, 0) : -1;
        }
        for (int c = 0; c < cells; c++) {
            if (targets[c] >= 0) {
                delta.merge(targets[c], delta.count(c), delta.sum(c), delta.min(c), delta.max(c));
            }
        }
        for (int e = 0; e < entries; e++) {
            int c = delta.entryCell(e);
            if (targets[c] >= 0) {
                delta.addToBucket(targets[c], delta.entryBucket(e), delta.entryCount(e));
            }
        }
        delta.seal();
    }
}
