package io.streamfold.processor.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One batch's users per hour of event time, for the hourly and daily HyperLogLogs: each hour's users
 * folded into a {@link HyperLogLog} with Redis's registers, so the commit can send one fixed-size value
 * per hour, however many users, and no user needs a string of its own. The first {@link #LISTED_USERS}
 * users of an hour are also kept as ids: for an hour with no more than that (small batches, as at low
 * latency), the commit sends the ids instead, because Redis adds a few users with {@code PFADD} for
 * less than it takes to merge a whole sketch of 16,384 registers. Either way the registers come out
 * the same. Reused across batches via {@link #clear()}. Not thread-safe.
 */
public final class UniqueUsers {

    /** The most events of an hour in a batch whose users are sent as ids rather than as a sketch. */
    public static final int LISTED_USERS = 256;

    private long[] hours = new long[4];
    private HyperLogLog[] sketches = new HyperLogLog[4];
    private ListedIds[] listed = new ListedIds[4];
    private int size;
    private int last = -1;

    /** Records that the user with UTF-8 id {@code user[offset, offset + length)} had an event at {@code ts}. */
    public void add(byte[] user, int offset, int length, long ts) {
        int i = indexOf(hourOf(ts));
        sketches[i].add(user, offset, length);
        listed[i].add(user, offset, length);
    }

    /** Records that {@code user} had an event at {@code ts}. */
    public void add(String user, long ts) {
        byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
        add(bytes, 0, bytes.length, ts);
    }

    /** Number of hours with users. */
    public int size() {
        return size;
    }

    /** The epoch hour of the {@code i}-th hour with users. */
    public long hour(int i) {
        return hours[i];
    }

    /** The users of the {@code i}-th hour. */
    public HyperLogLog users(int i) {
        return sketches[i];
    }

    /**
     * How many ids of the {@code i}-th hour's users are listed, one per event (so possibly repeated); -1 when the hour
     * had more than {@link #LISTED_USERS} events: then only its sketch holds them.
     */
    public int listedCount(int i) {
        return listed[i].overflowed ? -1 : listed[i].count;
    }

    /**
     * The array that holds the {@code i}-th hour's listed ids back to back, UTF-8, the {@code k}-th in
     * {@code [listedStart(i, k), listedEnd(i, k))}: read in place, no copy made.
     */
    public byte[] listedStorage(int i) {
        return listed[i].bytes;
    }

    public int listedStart(int i, int k) {
        return listed[i].start(k);
    }

    public int listedEnd(int i, int k) {
        return listed[i].ends[k];
    }

    public void clear() {
        for (int i = 0; i < size; i++) {
            sketches[i].clear();
            listed[i].clear();
        }
        size = 0;
        last = -1;
    }

    /** The epoch hour of an event time. */
    public static long hourOf(long ts) {
        return Math.floorDiv(ts, 3_600_000L);
    }

    private int indexOf(long hour) {
        if (last >= 0 && hours[last] == hour) {
            return last;
        }
        for (int i = 0; i < size; i++) {
            if (hours[i] == hour) {
                last = i;
                return i;
            }
        }
        if (size == hours.length) {
            hours = Arrays.copyOf(hours, size * 2);
            sketches = Arrays.copyOf(sketches, size * 2);
            listed = Arrays.copyOf(listed, size * 2);
        }
        if (sketches[size] == null) {
            sketches[size] = new HyperLogLog();
            listed[size] = new ListedIds();
        }
        hours[size] = hour;
        last = size;
        return size++;
    }

    /** Up to {@link #LISTED_USERS} ids, back to back in one reused array. */
    private static final class ListedIds {

        private byte[] bytes = new byte[1 << 12];
        private final int[] ends = new int[LISTED_USERS];
        private int count;
        private boolean overflowed;

        void add(byte[] user, int offset, int length) {
            if (overflowed) {
                return;
            }
            if (count == LISTED_USERS) {
                overflowed = true;
                return;
            }
            int start = start(count);
            if (start + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + length));
            }
            System.arraycopy(user, offset, bytes, start, length);
            ends[count++] = start + length;
        }

        /** Where the {@code k}-th id starts: where the one before it ends. */
        int start(int k) {
            return k == 0 ? 0 : ends[k - 1];
        }

        void clear() {
            count = 0;
            overflowed = false;
        }
    }
}
