package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * The distinct users of one batch per hour of event time, for the hourly and daily HyperLogLogs:
 * each (hour, user) pair once, however many events it had. Users are ids in a dictionary that
 * lives for one batch. Reused across batches via {@link #clear()}. Not thread-safe.
 */
public final class UniqueUsers {

    private static final long EMPTY = -1;

    private final Dictionary users = new Dictionary();
    private long[] table = emptyTable(256);
    private long[] pairs = new long[128];
    private int size;

    /** The dictionary of this batch's user ids. */
    public Dictionary dictionary() {
        return users;
    }

    /** Records that user {@code userId} (an id of {@link #dictionary()}) had an event at {@code ts}. */
    public void add(int userId, long ts) {
        long pair = (hourOf(ts) << 32) | userId;
        int mask = table.length - 1;
        for (int slot = hash(pair) & mask; ; slot = (slot + 1) & mask) {
            if (table[slot] == pair) {
                return;
            }
            if (table[slot] == EMPTY) {
                table[slot] = pair;
                if (size == pairs.length) {
                    pairs = Arrays.copyOf(pairs, size * 2);
                }
                pairs[size++] = pair;
                if (size * 2 > table.length) {
                    rehash();
                }
                return;
            }
        }
    }

    /** Orders the pairs by hour, then user, for {@link #hour} and {@link #user}. */
    public void seal() {
        Arrays.sort(pairs, 0, size);
    }

    /** Number of distinct (hour, user) pairs. */
    public int size() {
        return size;
    }

    /** The hour (epoch hour) of the {@code i}-th pair. */
    public long hour(int i) {
        return pairs[i] >>> 32;
    }

    /** The user id of the {@code i}-th pair. */
    public String user(int i) {
        return users.value((int) pairs[i]);
    }

    public void clear() {
        if (size > 0) {
            Arrays.fill(table, EMPTY);
        }
        size = 0;
        users.clear();
    }

    /** The epoch hour of an event time. */
    public static long hourOf(long ts) {
        return Math.floorDiv(ts, 3_600_000L);
    }

    private void rehash() {
        table = emptyTable(table.length * 2);
        int mask = table.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(pairs[i]) & mask;
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            table[slot] = pairs[i];
        }
    }

    private static int hash(long pair) {
        long h = pair * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static long[] emptyTable(int capacity) {
        long[] table = new long[capacity];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
