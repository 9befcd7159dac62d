package io.streamfold.processor.aggregation;

import io.streamfold.contract.Event;

/**
 * Everything one batch adds to the aggregates: its events (columns), the cells they touch
 * ({@link CellDelta}, computed by an {@link Aggregator} and rolled up), the users per hour and the
 * sessions (unless switched off: then none are tracked). Dimension values are dictionary ids; the
 * dimension dictionaries outlive batches (a known value costs no allocation), the session dictionary
 * lasts one batch.
 * Reused across batches via {@link #clear()}.
 */
public final class BatchDelta {

    /** Distinct values remembered per dimension before the dictionaries start afresh (bounds memory). */
    static final int DICTIONARY_LIMIT = 1 << 20;

    private final Dictionary[] dictionaries;
    private final EventColumns events;
    private final CellDelta cells = new CellDelta();
    private final Rollup rollup = new Rollup();
    private final UniqueUsers users = new UniqueUsers();
    private final SessionDelta sessions = new SessionDelta();
    private final boolean trackSessions;
    private final int[] scratchIds;

    /** @param sessions whether session summaries are tracked (and later written) */
    public BatchDelta(int dimensions, boolean sessions) {
        dictionaries = new Dictionary[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dictionaries[d] = new Dictionary();
        }
        events = new EventColumns(dimensions);
        scratchIds = new int[dimensions];
        trackSessions = sessions;
    }

    /** The dictionary of the {@code index}-th dimension: value bytes → the id {@link #add} takes. */
    public Dictionary dictionary(int index) {
        return dictionaries[index];
    }

    /**
     * Adds one event: its dimension values as dictionary ids, its user and session ids as UTF-8 bytes in
     * {@code bytes} at the given offsets.
     */
    public void add(int[] dimensionIds, byte[] bytes, int userOffset, int userLength, int sessionOffset,
            int sessionLength, long value, long ts) {
        events.add(dimensionIds, value, ts);
        users.add(bytes, userOffset, userLength, ts);
        if (trackSessions) {
            sessions.add(bytes, sessionOffset, sessionLength, value, ts);
        }
    }

    /** Adds one parsed event, its values looked up in (or added to) the dictionaries. */
    public void add(Event event) {
        for (int d = 0; d < scratchIds.length; d++) {
            scratchIds[d] = dictionaries[d].idOf(event.dimension(d));
        }
        events.add(scratchIds, event.value(), event.ts());
        users.add(event.userId(), event.ts());
        if (trackSessions) {
            sessions.add(event.sessionId(), event.value(), event.ts());
        }
    }

    /** Computes the cells of the events added so far with {@code aggregator}, and their roll-ups. */
    public void aggregate(Aggregator aggregator) {
        aggregator.aggregate(events, cells);
        rollup.addTo(cells);
    }

    public EventColumns events() {
        return events;
    }

    /** The cells, once {@link #aggregate} ran. */
    public CellDelta cells() {
        return cells;
    }

    /** The users per hour. */
    public UniqueUsers uniqueUsers() {
        return users;
    }

    public SessionDelta sessionDelta() {
        return sessions;
    }

    public void clear() {
        events.clear();
        cells.clear();
        users.clear();
        sessions.clear();
        for (Dictionary dictionary : dictionaries) {
            if (dictionary.size() > DICTIONARY_LIMIT) {
                dictionary.clear();
            }
        }
    }
}
