package io.streamfold.processor.commit;

import io.streamfold.contract.Event;
import io.streamfold.processor.aggregation.BatchDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One batch read from the stream, ready to commit: the ids of all its entries, the delta of its
 * valid events and its rejected entries. Reused across batches via {@link #clear()}.
 */
public final class Batch {

    /** The entries' ids, ASCII, separated by single spaces: the form the commit sends and derives the batch id from. */
    private byte[] entryIds = new byte[1 << 14];
    private int entryIdsLength;
    private int entries;
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final BatchDelta delta;

    /** A batch that tracks sessions. */
    public Batch(int dimensions) {
        this(dimensions, true);
    }

    /** @param sessions whether session summaries are tracked (see {@link BatchDelta}) */
    public Batch(int dimensions, boolean sessions) {
        this.delta = new BatchDelta(dimensions, sessions);
    }

    /** Adds the entry whose id is {@code source[offset, offset + length)}, ASCII. */
    public void addEntryId(byte[] source, int offset, int length) {
        if (entryIds.length - entryIdsLength < length + 1) {
            entryIds = Arrays.copyOf(entryIds, Math.max(entryIds.length * 2, entryIdsLength + length + 1));
        }
        if (entries > 0) {
            entryIds[entryIdsLength++] = ' ';
        }
        System.arraycopy(source, offset, entryIds, entryIdsLength, length);
        entryIdsLength += length;
        entries++;
    }

    /**
     * Adds a valid event: dimension values as dictionary ids (see {@link BatchDelta#dictionary}), user and
     * session ids as UTF-8 bytes in {@code bytes}.
     */
    public void addEvent(int[] dimensionIds, byte[] bytes, int userOffset, int userLength, int sessionOffset,
            int sessionLength, long value, long ts) {
        delta.add(dimensionIds, bytes, userOffset, userLength, sessionOffset, sessionLength, value, ts);
    }

    /** Adds a valid event parsed from its fields. */
    public void addEvent(Event event) {
        delta.add(event);
    }

    public void addDeadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    /** Number of entries, dead letters and entries deleted from the stream included. */
    public int entries() {
        return entries;
    }

    /** The entries' ids, ASCII, in order, separated by single spaces, in {@code [0, entryIdsLength())}. */
    public byte[] entryIds() {
        return entryIds;
    }

    public int entryIdsLength() {
        return entryIdsLength;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Number of valid events. */
    public int events() {
        return delta.events().size();
    }

    public BatchDelta delta() {
        return delta;
    }

    public void clear() {
        entryIdsLength = 0;
        entries = 0;
        deadLetters.clear();
        delta.clear();
    }

    /** An entry that is not a valid event (or was delivered too often), with the fields it arrived with. */
    public record DeadLetter(String entryId, String reason, String detail, long deliveries, Map<String, String> fields) {
    }
}
