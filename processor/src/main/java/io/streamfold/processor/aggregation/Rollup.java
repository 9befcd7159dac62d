package io.streamfold.processor.aggregation;

/**
 * Adds the roll-ups of a batch's (minute, dimension, value) cells to the same delta: per dimension
 * value over all time, the grand total per minute and over all time (from dimension 0, which every
 * event has exactly once). Costs one pass over cells and histogram entries, not over events.
 */
public final class Rollup {

    private int[] targets = new int[3 * 64];

    /** Rolls up the cells an {@link Aggregator} put in {@code delta}, then seals it. */
    public void addTo(CellDelta delta) {
        int cells = delta.size();
        int entries = delta.histogramEntries();
        if (targets.length < 3 * cells) {
            targets = new int[3 * cells];
        }
        for (int c = 0; c < cells; c++) {
            int dimension = delta.dimension(c);
            targets[3 * c] = delta.cell(CellDelta.ALL_TIME, dimension, delta.value(c));
            targets[3 * c + 1] = dimension == 0 ? delta.cell(delta.bin(c), CellDelta.TOTAL, 0) : -1;
            targets[3 * c + 2] = dimension == 0 ? delta.cell(CellDelta.ALL_TIME, CellDelta.TOTAL, 0) : -1;
        }
        for (int c = 0; c < cells; c++) {
            for (int t = 3 * c; t < 3 * c + 3 && targets[t] >= 0; t++) {
                delta.merge(targets[t], delta.count(c), delta.sum(c), delta.min(c), delta.max(c));
            }
        }
        for (int e = 0; e < entries; e++) {
            int c = delta.entryCell(e);
            int bucket = delta.entryBucket(e);
            long count = delta.entryCount(e);
            for (int t = 3 * c; t < 3 * c + 3 && targets[t] >= 0; t++) {
                delta.addToBucket(targets[t], bucket, count);
            }
        }
        delta.seal();
    }
}
