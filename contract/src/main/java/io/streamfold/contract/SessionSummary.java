package io.streamfold.contract;

/**
 * A session as the commit script stores it, one hash field per session: {@code "<events> <sum> <first> <last>"}
 * (decimal integers: event count, value sum in units, first and last event time in epoch ms).
 *
 * @param events number of events
 * @param sum    sum of their values, in units
 * @param first  earliest event time, epoch ms
 * @param last   latest event time, epoch ms
 */
public record SessionSummary(long events, long sum, long first, long last) {

    /** Parses a stored summary; a malformed one is an {@link IllegalArgumentException} naming it. */
    public static SessionSummary parse(String stored) {
        String[] parts = stored.split(" ", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a session summary (events sum first last): '" + stored + "'");
        }
        try {
            return new SessionSummary(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a session summary (events sum first last): '" + stored + "'", e);
        }
    }

    /** The stored form. */
    @Override
    public String toString() {
        return events + " " + sum + " " + first + " " + last;
    }
}
