package io.streamfold.contract.config;

import io.smallrye.config.WithDefault;
import io.streamfold.contract.EventSchema;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;

/** Configuration group for the {@link EventSchema}; every module nests it under {@code streamfold.schema}. */
public interface SchemaConfig {

    /** Field holding the producer's event id. */
    @WithDefault("event_id")
    String eventIdField();

    /** Field holding the user id. */
    @WithDefault("user_id")
    String userField();

    /** Field holding the session id. */
    @WithDefault("session_id")
    String sessionField();

    /** Fields aggregated as dimensions, in order. */
    @WithDefault("event_type,product")
    List<String> dimensions();

    /** Field holding the decimal value. */
    @WithDefault("value")
    String valueField();

    /** Field holding the event time in epoch milliseconds. */
    @WithDefault("ts")
    String tsField();

    /** Optional field naming an entry's encoding; only {@code flat} is understood. */
    @WithDefault("encoding")
    String encodingField();

    /** Decimals kept by fixed-point values (2: {@code 23.45} is stored as 2345). */
    @WithDefault("2")
    @PositiveOrZero
    int scale();

    /** Largest accepted absolute value, as a decimal. */
    @WithDefault("1000000000")
    @Positive
    BigDecimal maxAbsValue();

    /** Longest accepted field value, in characters. */
    @WithDefault("256")
    @Positive
    int maxFieldLength();

    /** How far back an event's time may lie; older events are dead-lettered as {@code too_old}. */
    @WithDefault("7d")
    @DurationMin(minutes = 1)
    Duration retention();

    /** How far ahead of the clock an event's time may lie; later ones are dead-lettered as {@code future_ts}. */
    @WithDefault("5m")
    @DurationMin(millis = 0)
    Duration maxFutureSkew();

    /** The schema these settings describe; fails with a clear message on inconsistent settings. */
    default EventSchema toSchema() {
        long maxAbsUnits;
        try {
            maxAbsUnits = maxAbsValue().movePointRight(scale()).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("streamfold.schema.max-abs-value " + maxAbsValue()
                    + " must be a whole number of units at scale " + scale() + " and fit in 64 bits", e);
        }
        return new EventSchema(eventIdField(), userField(), sessionField(), dimensions(), valueField(),
                tsField(), encodingField(), scale(), maxAbsUnits, maxFieldLength(), retention(), maxFutureSkew());
    }
}
