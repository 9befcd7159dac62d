package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * Every cell one batch touches and what the batch adds to it: the exact content of a delta, the
 * same whichever {@link Aggregator} computed it.
 *
 * <p>A cell is keyed by (bin, dimension, value id):
 * <ul>
 *   <li>bin: the epoch minute of the events ({@code floorDiv(ts, 60_000)});</li>
 *   <li>dimension: the schema's dimension index, or {@link #TOTAL} for the grand total (value id 0);</li>
 *   <li>value id: the dimension value's id in that dimension's {@link Dictionary}.</li>
 * </ul>
 * Each cell holds the event count, the exact sum of values in fixed-point units, the min and max
 * value, and a histogram: {@link io.streamfold.contract.ValueHistogram} bucket → events. Cells
 * never hold zero events; min and max start from the first value.
 *
 * <p>Storage is flat primitive arrays and two open-addressing tables, grown on demand and reused
 * across batches: after warm-up, filling a delta allocates nothing. Not thread-safe.
 */
public final class CellDelta {

    /** The dimension index of the grand-total cells. */
    public static final int TOTAL = -1;

    private static final int EMPTY = -1;
    private static final int BUCKET_OFFSET = 1 << 15;

    // cells
    private long[] bins = new long[64];
    private int[] dimensions = new int[64];
    private int[] values = new int[64];
    private long[] counts = new long[64];
    private long[] sums = new long[64];
    private long[] mins = new long[64];
    private long[] maxs = new long[64];
    private int size;
    private int[] cellTable = emptyTable(128);

    // histogram entries: key = cell << 16 | (bucket + 2^15)
    private long[] entryKeys = new long[256];
    private long[] entryCounts = new long[256];
    private int entries;
    private int[] entryTable = emptyTable(512);

    // after seal(): entries grouped by cell
    private int[] cellStart = new int[65];
    private long[] sortedKeys = new long[256];
    private long[] sortedCounts = new long[256];
    private boolean sealed;

    /** The index of cell (bin, dimension, value), added empty if new. */
    public int cell(long bin, int dimension, int value) {
        int mask = cellTable.length - 1;
        for (int slot = cellHash(bin, dimension, value) & mask; ; slot = (slot + 1) & mask) {
            int cell = cellTable[slot];
            if (cell == EMPTY) {
                return addCell(slot, bin, dimension, value);
            }
            if (values[cell] == value && bins[cell] == bin && dimensions[cell] == dimension) {
                return cell;
            }
        }
    }

    /** Adds one event of {@code value} (in histogram bucket {@code bucket}) to a cell. */
    public void add(int cell, long value, int bucket) {
        counts[cell]++;
        sums[cell] = Math.addExact(sums[cell], value);
        if (value < mins[cell]) {
            mins[cell] = value;
        }
        if (value > maxs[cell]) {
            maxs[cell] = value;
        }
        addToBucket(cell, bucket, 1);
    }

    /** Adds {@code count} events with the given sum, min and max to a cell, without their buckets. */
    public void merge(int cell, long count, long sum, long min, long max) {
        counts[cell] += count;
        sums[cell] = Math.addExact(sums[cell], sum);
        mins[cell] = Math.min(mins[cell], min);
        maxs[cell] = Math.max(maxs[cell], max);
    }

    /** Adds {@code count} to a histogram bucket of a cell. */
    public void addToBucket(int cell, int bucket, long count) {
        long key = ((long) cell << 16) | (bucket + BUCKET_OFFSET);
        int mask = entryTable.length - 1;
        for (int slot = entryHash(key) & mask; ; slot = (slot + 1) & mask) {
            int entry = entryTable[slot];
            if (entry == EMPTY) {
                addEntry(slot, key, count);
                return;
            }
            if (entryKeys[entry] == key) {
                entryCounts[entry] += count;
                return;
            }
        }
    }

    /** Groups the histogram entries by cell, in bucket order, for {@link #bucket} and {@link #bucketCount}. */
    public void seal() {
        if (cellStart.length < size + 1) {
            cellStart = new int[Math.max(size + 1, cellStart.length * 2)];
        }
        if (sortedKeys.length < entries) {
            sortedKeys = new long[entryKeys.length];
            sortedCounts = new long[entryKeys.length];
        }
        System.arraycopy(entryKeys, 0, sortedKeys, 0, entries);
        Arrays.sort(sortedKeys, 0, entries);
        int cell = 0;
        for (int e = 0; e < entries; e++) {
            long key = sortedKeys[e];
            while (cell <= (int) (key >>> 16)) {
                cellStart[cell++] = e;
            }
            sortedCounts[e] = entryCounts[entryIndex(key)];
        }
        while (cell <= size) {
            cellStart[cell++] = entries;
        }
        sealed = true;
    }

    public int size() {
        return size;
    }

    public long bin(int cell) {
        return bins[cell];
    }

    public int dimension(int cell) {
        return dimensions[cell];
    }

    public int value(int cell) {
        return values[cell];
    }

    public long count(int cell) {
        return counts[cell];
    }

    public long sum(int cell) {
        return sums[cell];
    }

    public long min(int cell) {
        return mins[cell];
    }

    public long max(int cell) {
        return maxs[cell];
    }

    /** Number of histogram entries (cell, bucket) in the delta. */
    public int histogramEntries() {
        return entries;
    }

    /** The first histogram entry of a cell (after {@link #seal()}). */
    public int bucketsFrom(int cell) {
        requireSealed();
        return cellStart[cell];
    }

    /** One past the last histogram entry of a cell (after {@link #seal()}). */
    public int bucketsTo(int cell) {
        requireSealed();
        return cellStart[cell + 1];
    }

    /** The bucket of a histogram entry (after {@link #seal()}). */
    public int bucket(int entry) {
        return (int) (sortedKeys[entry] & 0xFFFF) - BUCKET_OFFSET;
    }

    /** The event count of a histogram entry (after {@link #seal()}). */
    public long bucketCount(int entry) {
        return sortedCounts[entry];
    }

    /** Histogram entries in insertion order, before {@link #seal()}: the cell of entry {@code e}. */
    int entryCell(int e) {
        return (int) (entryKeys[e] >>> 16);
    }

    /** Histogram entries in insertion order, before {@link #seal()}: the bucket of entry {@code e}. */
    int entryBucket(int e) {
        return (int) (entryKeys[e] & 0xFFFF) - BUCKET_OFFSET;
    }

    /** Histogram entries in insertion order, before {@link #seal()}: the count of entry {@code e}. */
    long entryCount(int e) {
        return entryCounts[e];
    }

    /** Empties the delta, keeping its storage. */
    public void clear() {
        if (size > 0) {
            Arrays.fill(cellTable, EMPTY);
        }
        if (entries > 0) {
            Arrays.fill(entryTable, EMPTY);
        }
        size = 0;
        entries = 0;
        sealed = false;
    }

    private int addCell(int slot, long bin, int dimension, int value) {
        if (size == bins.length) {
            int capacity = size * 2;
            bins = Arrays.copyOf(bins, capacity);
            dimensions = Arrays.copyOf(dimensions, capacity);
            values = Arrays.copyOf(values, capacity);
            counts = Arrays.copyOf(counts, capacity);
            sums = Arrays.copyOf(sums, capacity);
            mins = Arrays.copyOf(mins, capacity);
            maxs = Arrays.copyOf(maxs, capacity);
        }
        int cell = size++;
        bins[cell] = bin;
        dimensions[cell] = dimension;
        values[cell] = value;
        counts[cell] = 0;
        sums[cell] = 0;
        mins[cell] = Long.MAX_VALUE;
        maxs[cell] = Long.MIN_VALUE;
        cellTable[slot] = cell;
        if (size * 2 > cellTable.length) {
            cellTable = emptyTable(cellTable.length * 2);
            int mask = cellTable.length - 1;
            for (int c = 0; c < size; c++) {
                int s = cellHash(bins[c], dimensions[c], values[c]) & mask;
                while (cellTable[s] != EMPTY) {
                    s = (s + 1) & mask;
                }
                cellTable[s] = c;
            }
        }
        return cell;
    }

    private void addEntry(int slot, long key, long count) {
        if (entries == entryKeys.length) {
            entryKeys = Arrays.copyOf(entryKeys, entries * 2);
            entryCounts = Arrays.copyOf(entryCounts, entries * 2);
        }
        int entry = entries++;
        entryKeys[entry] = key;
        entryCounts[entry] = count;
        entryTable[slot] = entry;
        if (entries * 2 > entryTable.length) {
            entryTable = emptyTable(entryTable.length * 2);
            int mask = entryTable.length - 1;
            for (int e = 0; e < entries; e++) {
                int s = entryHash(entryKeys[e]) & mask;
                while (entryTable[s] != EMPTY) {
                    s = (s + 1) & mask;
                }
                entryTable[s] = e;
            }
        }
    }

    private int entryIndex(long key) {
        int mask = entryTable.length - 1;
        for (int slot = entryHash(key) & mask; ; slot = (slot + 1) & mask) {
            int entry = entryTable[slot];
            if (entryKeys[entry] == key) {
                return entry;
            }
        }
    }

    private void requireSealed() {
        if (!sealed) {
            throw new IllegalStateException("histogram entries are grouped by cell only after seal()");
        }
    }

    private static int cellHash(long bin, int dimension, int value) {
        long h = (bin * 0x9E3779B97F4A7C15L) ^ ((long) dimension << 40) ^ (value * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    private static int entryHash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static int[] emptyTable(int capacity) {
        int[] table = new int[capacity];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
