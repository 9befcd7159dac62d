package io.streamfold.contract;

import java.util.List;

/**
 * One parsed, validated event.
 *
 * @param eventId    the producer's id for the event
 * @param userId     who did it
 * @param sessionId  in which session
 * @param dimensions the values of the schema's dimension fields, in the schema's order
 * @param value      the value in fixed-point units at the schema's scale
 * @param ts         event time, epoch milliseconds
 */
public record Event(String eventId, String userId, String sessionId, List<String> dimensions, long value, long ts) {

    public Event {
        dimensions = List.copyOf(dimensions);
    }

    /** The value of the {@code index}-th dimension of the schema. */
    public String dimension(int index) {
        return dimensions.get(index);
    }
}
