package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * What one batch adds to each session it touches: events, value sum, first and last event time.
 * Sessions are ids in a dictionary that lives for one batch. Reused via {@link #clear()}.
 */
public final class SessionDelta {

    private final Dictionary sessions = new Dictionary();
    private long[] events = new long[64];
    private long[] sums = new long[64];
    private long[] firsts = new long[64];
    private long[] lasts = new long[64];

    /** Adds an event of {@code value} at {@code ts} to the session with UTF-8 id {@code bytes[offset, offset + length)}. */
    public void add(byte[] bytes, int offset, int length, long value, long ts) {
        add(sessions.idOf(bytes, offset, length), value, ts);
    }

    /** Adds an event of {@code value} at {@code ts} to session {@code id}. */
    public void add(String id, long value, long ts) {
        add(sessions.idOf(id), value, ts);
    }

    private void add(int id, long value, long ts) {
        if (id >= events.length) {
            int capacity = Math.max(events.length * 2, id + 1);
            events = Arrays.copyOf(events, capacity);
            sums = Arrays.copyOf(sums, capacity);
            firsts = Arrays.copyOf(firsts, capacity);
            lasts = Arrays.copyOf(lasts, capacity);
        }
        if (events[id] == 0) {
            sums[id] = 0;
            firsts[id] = ts;
            lasts[id] = ts;
        }
        events[id]++;
        sums[id] = Math.addExact(sums[id], value);
        firsts[id] = Math.min(firsts[id], ts);
        lasts[id] = Math.max(lasts[id], ts);
    }

    /** Number of sessions touched; their ids are 0 to size - 1. */
    public int size() {
        return sessions.size();
    }

    public String id(int session) {
        return sessions.value(session);
    }

    /** The array that holds every session id's UTF-8 bytes, in place (see {@link Dictionary#storage()}). */
    public byte[] idStorage() {
        return sessions.storage();
    }

    public int idOffset(int session) {
        return sessions.offset(session);
    }

    public int idLength(int session) {
        return sessions.length(session);
    }

    public long events(int session) {
        return events[session];
    }

    public long sum(int session) {
        return sums[session];
    }

    public long first(int session) {
        return firsts[session];
    }

    public long last(int session) {
        return lasts[session];
    }

    public void clear() {
        Arrays.fill(events, 0, sessions.size(), 0);
        sessions.clear();
    }
}
