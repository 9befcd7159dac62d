package io.streamfold.processor.commit;

import io.streamfold.contract.Event;
import io.streamfold.processor.aggregation.BatchDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One batch read from the stream, ready to commit: the ids of all its entries, the delta of its
 * valid events and its rejected entries. Reused across batches via {@link #clear()}.
 */
public final class Batch {

    private final List<String> entryIds = new ArrayList<>();
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

    public void addEntryId(String id) {
        entryIds.add(id);
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

    public List<String> entryIds() {
        return entryIds;
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
        entryIds.clear();
        deadLetters.clear();
        delta.clear();
    }

    /** An entry that is not a valid event (or was delivered too often), with the fields it arrived with. */
    public record DeadLetter(String entryId, String reason, String detail, long deliveries, Map<String, String> fields) {
    }
}
