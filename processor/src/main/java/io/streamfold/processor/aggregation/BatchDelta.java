package io.streamfold.processor.aggregation;

import io.streamfold.contract.Event;

/**
 * Everything one batch adds to the aggregates: its events (columns), the cells they touch
 * ({@link CellDelta}, computed by an {@link Aggregator} and rolled up), the users per hour and the
 * sessions. Dimension values are dictionary ids; the dimension dictionaries outlive batches (a known
 * value costs no allocation), the session dictionary lasts one batch.
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
    private final int[] scratchIds;

    public BatchDelta(int dimensions) {
        dictionaries = new Dictionary[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dictionaries[d] = new Dictionary();
        }
        events = new EventColumns(dimensions);
        scratchIds = new int[dimensions];
    }

    /** The dictionary of the {@code index}-th dimension: value bytes → the id {@link #add} takes. */
    public Dictionary dictionary(int index) {
        return dictionaries[index];
    }

    /** This batch's session ids: bytes → the id {@link #add} takes. */
    public Dictionary sessions() {
        return sessions.dictionary();
    }

    /**
     * Adds one event: its dimension values and session as dictionary ids, its user id as the UTF-8 bytes
     * {@code user[userOffset, userOffset + userLength)}.
     */
    public void add(int[] dimensionIds, byte[] user, int userOffset, int userLength, int sessionId, long value,
            long ts) {
        events.add(dimensionIds, value, ts);
        users.add(user, userOffset, userLength, ts);
        sessions.add(sessionId, value, ts);
    }

    /** Adds one parsed event, its values looked up in (or added to) the dictionaries. */
    public void add(Event event) {
        for (int d = 0; d < scratchIds.length; d++) {
            scratchIds[d] = dictionaries[d].idOf(event.dimension(d));
        }
        events.add(scratchIds, event.value(), event.ts());
        users.add(event.userId(), event.ts());
        sessions.add(sessions.dictionary().idOf(event.sessionId()), event.value(), event.ts());
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
