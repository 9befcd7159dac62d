package io.streamfold.contract;

import java.util.List;
import java.util.Objects;

/**
 * Which fields of a stream entry mean what. The fleet reads every entry through one schema, so a
 * user with their own fields ({@code region}, {@code device}) configures names here instead of
 * changing code.
 *
 * @param eventIdField   field holding the producer's event id
 * @param userField      field holding the user id (uniques)
 * @param sessionField   field holding the session id (sessions)
 * @param dimensions     fields aggregated as dimensions, in order; at least one
 * @param valueField     field holding the decimal value
 * @param tsField        field holding the event time in epoch milliseconds
 * @param encodingField  optional field naming the entry's encoding; absent means {@value #FLAT_ENCODING}
 * @param scale          decimals kept by the fixed-point value (2: {@code 23.45} is 2345 units)
 * @param maxAbsValue    largest accepted absolute value in units (at {@code scale})
 * @param maxFieldLength longest accepted field value, in characters
 */
public record EventSchema(
        String eventIdField,
        String userField,
        String sessionField,
        List<String> dimensions,
        String valueField,
        String tsField,
        String encodingField,
        int scale,
        long maxAbsValue,
        int maxFieldLength) {

    /** The only entry encoding this version reads: one stream field per event field. */
    public static final String FLAT_ENCODING = "flat";

    /** The largest scale whose unit still leaves room for real values in a {@code long}. */
    public static final int MAX_SCALE = 9;

    public EventSchema {
        Objects.requireNonNull(eventIdField, "eventIdField");
        Objects.requireNonNull(userField, "userField");
        Objects.requireNonNull(sessionField, "sessionField");
        Objects.requireNonNull(valueField, "valueField");
        Objects.requireNonNull(tsField, "tsField");
        Objects.requireNonNull(encodingField, "encodingField");
        dimensions = List.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("at least one dimension field is required");
        }
        if (scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("scale must be between 0 and " + MAX_SCALE + ", was " + scale);
        }
        if (maxAbsValue <= 0) {
            throw new IllegalArgumentException("maxAbsValue must be positive, was " + maxAbsValue);
        }
        if (maxFieldLength <= 0) {
            throw new IllegalArgumentException("maxFieldLength must be positive, was " + maxFieldLength);
        }
    }

    /**
     * The default schema: {@code event_id, user_id, event_type, product, session_id, value, ts},
     * two decimals, values up to ±1,000,000,000.00, fields up to 256 characters.
     */
    public static EventSchema defaults() {
        return new EventSchema("event_id", "user_id", "session_id", List.of("event_type", "product"),
                "value", "ts", "encoding", 2, 100_000_000_000L, 256);
    }

    /** The fixed-point codec for this schema's scale. */
    public FixedPoint fixedPoint() {
        return new FixedPoint(scale);
    }
}
