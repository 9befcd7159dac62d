package io.streamfold.contract;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

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
 * @param retention      how far back an event's time may lie; older events are rejected ({@code too_old})
 * @param maxFutureSkew  how far ahead of the clock an event's time may lie; later ones are rejected
 *                       ({@code future_ts})
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
        int maxFieldLength,
        Duration retention,
        Duration maxFutureSkew) {

    /** The only entry encoding this version reads: one stream field per event field. */
    public static final String FLAT_ENCODING = "flat";

    private static final Pattern DIMENSION_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

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
        for (String dimension : dimensions) {
            if (!DIMENSION_NAME.matcher(dimension).matches()) {
                throw new IllegalArgumentException("dimension field names must be 1-64 characters of [A-Za-z0-9_.-] "
                        + "(they become part of Redis keys and fields), was '" + dimension + "'");
            }
        }
        if (Set.copyOf(dimensions).size() != dimensions.size()) {
            throw new IllegalArgumentException("dimension field names must be distinct, were " + dimensions);
        }
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
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative, was " + maxFutureSkew);
        }
        if (!fitsInMillis(retention) || !fitsInMillis(maxFutureSkew)) {
            throw new IllegalArgumentException("retention " + retention + " and maxFutureSkew " + maxFutureSkew
                    + " must each fit in 64 bits of milliseconds");
        }
    }

    /**
     * The default schema: {@code event_id, user_id, event_type, product, session_id, value, ts},
     * two decimals, values up to ±1,000,000,000.00, fields up to 256 characters, events from the
     * last 7 days up to 5 minutes ahead.
     */
    public static EventSchema defaults() {
        return new EventSchema("event_id", "user_id", "session_id", List.of("event_type", "product"),
                "value", "ts", "encoding", 2, 100_000_000_000L, 256, Duration.ofDays(7), Duration.ofMinutes(5));
    }

    /**
     * Whether an event at {@code ts} lies in the accepted window at {@code nowMillis}: from {@link
     * #oldestAccepted} to {@link #latestAccepted}, both inclusive. Exact for every {@code long}, no
     * overflow, however extreme {@code ts} or the clock.
     */
    public boolean accepts(long ts, long nowMillis) {
        return ts >= oldestAccepted(nowMillis) && ts <= latestAccepted(nowMillis);
    }

    /** The oldest accepted event time at {@code nowMillis}: {@code now - retention}, at least {@link Long#MIN_VALUE}. */
    public long oldestAccepted(long nowMillis) {
        long retentionMillis = retention.toMillis();
        return nowMillis < Long.MIN_VALUE + retentionMillis ? Long.MIN_VALUE : nowMillis - retentionMillis;
    }

    /** The latest accepted event time at {@code nowMillis}: {@code now + maxFutureSkew}, at most {@link Long#MAX_VALUE}. */
    public long latestAccepted(long nowMillis) {
        long skewMillis = maxFutureSkew.toMillis();
        return nowMillis > Long.MAX_VALUE - skewMillis ? Long.MAX_VALUE : nowMillis + skewMillis;
    }

    /** The fixed-point codec for this schema's scale. */
    public FixedPoint fixedPoint() {
        return new FixedPoint(scale);
    }

    private static boolean fitsInMillis(Duration duration) {
        try {
            duration.toMillis();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }
}
