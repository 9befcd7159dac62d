package io.streamfold.processor.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One batch's users per hour of event time, for the hourly and daily HyperLogLogs: each hour's users
 * folded into a {@link HyperLogLog} with Redis's registers, so the commit sends one fixed-size value per
 * hour, however many users, and no user needs a string of its own. Reused across batches via
 * {@link #clear()}. Not thread-safe.
 */
public final class UniqueUsers {

    private long[] hours = new long[4];
    private HyperLogLog[] sketches = new HyperLogLog[4];
    private int size;
    private int last = -1;

    /** Records that the user with UTF-8 id {@code user[offset, offset + length)} had an event at {@code ts}. */
    public void add(byte[] user, int offset, int length, long ts) {
        sketchOf(hourOf(ts)).add(user, offset, length);
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

    public void clear() {
        for (int i = 0; i < size; i++) {
            sketches[i].clear();
        }
        size = 0;
        last = -1;
    }

    /** The epoch hour of an event time. */
    public static long hourOf(long ts) {
        return Math.floorDiv(ts, 3_600_000L);
    }

    private HyperLogLog sketchOf(long hour) {
        if (last >= 0 && hours[last] == hour) {
            return sketches[last];
        }
        for (int i = 0; i < size; i++) {
            if (hours[i] == hour) {
                last = i;
                return sketches[i];
            }
        }
        if (size == hours.length) {
            hours = Arrays.copyOf(hours, size * 2);
            sketches = Arrays.copyOf(sketches, size * 2);
        }
        if (sketches[size] == null) {
            sketches[size] = new HyperLogLog();
        }
        hours[size] = hour;
        last = size;
        return sketches[size++];
    }
}
