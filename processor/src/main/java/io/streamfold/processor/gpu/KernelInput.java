package io.streamfold.processor.gpu;

import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.EventColumns;
import java.util.Arrays;

/**
 * One batch packed as {@code aggregate.cu} takes it: the batch's distinct minutes (ascending),
 * per event its minute index, value and, per dimension, a dense cell id
 * {@code minuteIndex * totalValues + offset[d] + valueId} (event-major: {@code cellIds[i * dims + d]}),
 * with {@code offset[d]} the sum of the dictionary sizes of the dimensions before d. Also the
 * sizes the host allocates: {@link #cells()} per-cell statistics and a histogram table of
 * {@link #tableSize()} slots. Framework-free; the JCuda host uploads these arrays as they are.
 */
public final class KernelInput {

    /** Bytes of one cell's statistics (count, sum, min, max) in the kernel's shared memory. */
    public static final int CELL_BYTES = 32;

    /** Batches whose minutes span less than this (two years; the retention is days) are indexed without sorting. */
    static final long DENSE_MINUTE_RANGE = 1 << 20;

    private final long[] minutes;
    private final int[] offsets;
    private final int[] minuteIndex;
    private final long[] values;
    private final int[] cellIds;
    private final int events;
    private final int cells;
    private final int tableSize;

    private KernelInput(long[] minutes, int[] offsets, int[] minuteIndex, long[] values, int[] cellIds, int events,
            int cells, int tableSize) {
        this.minutes = minutes;
        this.offsets = offsets;
        this.minuteIndex = minuteIndex;
        this.values = values;
        this.cellIds = cellIds;
        this.events = events;
        this.cells = cells;
        this.tableSize = tableSize;
    }

    /**
     * Packs the first {@code events.size()} events, each dimension's dictionary bounded by its
     * largest id in the batch + 1 (the fewest dense cells that hold the batch); see
     * {@link #pack(EventColumns, int[])}.
     */
    public static KernelInput pack(EventColumns events) {
        int[] sizes = new int[events.dimensions()];
        for (int d = 0; d < sizes.length; d++) {
            int[] ids = events.ids(d);
            int max = -1;
            for (int i = 0, n = events.size(); i < n; i++) {
                max = Math.max(max, ids[i]);
            }
            sizes[d] = max + 1;
        }
        return pack(events, sizes);
    }

    /**
     * Packs the first {@code events.size()} events; {@code dictionarySizes[d]} bounds dimension d's
     * ids. Rejects ids outside their dictionary, {@link Long#MIN_VALUE} values (no histogram
     * bucket) and batches whose cells or table would not fit the kernel's 32-bit indices.
     */
    public static KernelInput pack(EventColumns events, int[] dictionarySizes) {
        int n = events.size();
        int dims = events.dimensions();
        if (dictionarySizes.length != dims) {
            throw new IllegalArgumentException("expected " + dims + " dictionary sizes, got " + dictionarySizes.length);
        }
        int[] offsets = new int[dims + 1];
        for (int d = 0; d < dims; d++) {
            offsets[d + 1] = Math.addExact(offsets[d], dictionarySizes[d]);
        }
        int totalValues = offsets[dims];
        long[] timestamps = events.timestamps();
        long[] eventMinutes = new long[n];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            eventMinutes[i] = Aggregator.minuteOf(timestamps[i]);
            first = Math.min(first, eventMinutes[i]);
            last = Math.max(last, eventMinutes[i]);
        }
        int[] minuteIndex = new int[n];
        long[] minutes = n > 0 && last - first < DENSE_MINUTE_RANGE
                ? indexByRange(eventMinutes, first, (int) (last - first + 1), minuteIndex)
                : indexBySorting(eventMinutes, minuteIndex);
        int distinct = minutes.length;
        long cells = (long) distinct * totalValues;
        long tableSize = Long.highestOneBit(Math.max(2L, 2L * n * dims) - 1) << 1;
        if (cells > Integer.MAX_VALUE || tableSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch too large for the kernel: " + distinct + " minutes x " + totalValues
                    + " dimension values = " + cells + " cells, " + tableSize + " histogram slots (from " + n
                    + " events x " + dims + " dimensions); at most " + Integer.MAX_VALUE + " each");
        }
        long[] values = Arrays.copyOf(events.values(), n);
        int[] cellIds = new int[n * dims];
        for (int i = 0; i < n; i++) {
            if (values[i] == Long.MIN_VALUE) {
                throw new IllegalArgumentException("event " + i + ": value Long.MIN_VALUE has no histogram bucket");
            }
            for (int d = 0; d < dims; d++) {
                int id = events.ids(d)[i];
                if (id < 0 || id >= dictionarySizes[d]) {
                    throw new IllegalArgumentException("event " + i + ", dimension " + d + ": expected an id in [0, "
                            + dictionarySizes[d] + "), got " + id);
                }
                cellIds[i * dims + d] = minuteIndex[i] * totalValues + offsets[d] + id;
            }
        }
        return new KernelInput(minutes, offsets, minuteIndex, values, cellIds, n, (int) cells, (int) tableSize);
    }

    /**
     * The distinct minutes of a batch whose minutes lie within {@code range} of {@code first}
     * (always, for events within the retention): one pass marking a table over the range, one
     * numbering it, one looking each event up; no sort.
     */
    private static long[] indexByRange(long[] eventMinutes, long first, int range, int[] minuteIndex) {
        int[] indexPlusOne = new int[range];
        for (long minute : eventMinutes) {
            indexPlusOne[(int) (minute - first)] = 1;
        }
        int distinct = 0;
        for (int r = 0; r < range; r++) {
            if (indexPlusOne[r] != 0) {
                indexPlusOne[r] = ++distinct;
            }
        }
        long[] minutes = new long[distinct];
        for (int r = 0; r < range; r++) {
            if (indexPlusOne[r] != 0) {
                minutes[indexPlusOne[r] - 1] = first + r;
            }
        }
        for (int i = 0; i < eventMinutes.length; i++) {
            minuteIndex[i] = indexPlusOne[(int) (eventMinutes[i] - first)] - 1;
        }
        return minutes;
    }

    /** The distinct minutes of any batch: sorted, deduplicated, each event's found by binary search. */
    private static long[] indexBySorting(long[] eventMinutes, int[] minuteIndex) {
        long[] sorted = eventMinutes.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        long[] minutes = Arrays.copyOf(sorted, distinct);
        for (int i = 0; i < eventMinutes.length; i++) {
            minuteIndex[i] = Arrays.binarySearch(minutes, eventMinutes[i]);
        }
        return minutes;
    }

    /**
     * The dynamic shared memory to launch with: every cell's statistics if they fit in
     * {@code sharedMemoryLimit} bytes, else 0 (the kernel then uses global atomics only).
     */
    public int sharedBytes(int sharedMemoryLimit) {
        long bytes = (long) cells * CELL_BYTES;
        return bytes > 0 && bytes <= sharedMemoryLimit ? (int) bytes : 0;
    }

    public int events() {
        return events;
    }

    public int dimensions() {
        return offsets.length - 1;
    }

    /** Dense cells: distinct minutes x the dimension values of all dictionaries. */
    public int cells() {
        return cells;
    }

    /** Slots of the histogram table: a power of two, at least twice the (event, dimension) pairs. */
    public int tableSize() {
        return tableSize;
    }

    /** The batch's distinct minutes, ascending: minute index → epoch minute. */
    public long[] minutes() {
        return minutes;
    }

    /** Per event, the index of its minute in {@link #minutes()}. */
    public int[] minuteIndex() {
        return minuteIndex;
    }

    public long[] values() {
        return values;
    }

    /** Per event and dimension (event-major), the dense cell id. */
    public int[] cellIds() {
        return cellIds;
    }

    long minuteOfCell(int cell) {
        return minutes[cell / offsets[offsets.length - 1]];
    }

    int dimensionOfCell(int cell) {
        int rest = cell % offsets[offsets.length - 1];
        int d = 0;
        while (rest >= offsets[d + 1]) {
            d++;
        }
        return d;
    }

    int valueOfCell(int cell) {
        return cell % offsets[offsets.length - 1] - offsets[dimensionOfCell(cell)];
    }
}
