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

    private final List<String> entryIds = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final BatchDelta delta;
    private long[] eventTimes = new long[1024];
    private int events;

    public Batch(int dimensions) {
        this.delta = new BatchDelta(dimensions);
    }

    public void addEntryId(String id) {
        entryIds.add(id);
    }

    /** Adds a valid event to the delta and remembers its time (for the event-to-commit latency). */
    public void addEvent(Event event) {
        delta.add(event);
        if (events == eventTimes.length) {
            eventTimes = Arrays.copyOf(eventTimes, events * 2);
        }
        eventTimes[events++] = event.ts();
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
        return events;
    }

    /** The time of each valid event, epoch ms, in the first {@link #events()} slots. */
    public long[] eventTimes() {
        return eventTimes;
    }

    public BatchDelta delta() {
        return delta;
    }

    public void clear() {
        entryIds.clear();
        deadLetters.clear();
        delta.clear();
        events = 0;
    }

    /** An entry that is not a valid event (or was delivered too often), with the fields it arrived with. */
    public record DeadLetter(String entryId, String reason, String detail, long deliveries, Map<String, String> fields) {
    }
}
