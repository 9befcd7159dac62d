package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSchemaTest {

    private static final long NOW = 1_732_540_000_000L;

    private static EventSchema withWindow(Duration retention, Duration maxFutureSkew) {
        return new EventSchema("event_id", "user_id", "session_id", List.of("event_type"), "value", "ts", "encoding",
                2, 100L, 16, retention, maxFutureSkew);
    }

    @Test
    void defaultsKeepSevenDaysAndAllowFiveMinutesAhead() {
        EventSchema schema = EventSchema.defaults();

        assertThat(schema.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(schema.maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void acceptsExactlyFromNowMinusRetentionToNowPlusSkewInclusive() {
        EventSchema schema = withWindow(Duration.ofMillis(1_000), Duration.ofMillis(10));

        assertThat(schema.accepts(NOW - 1_001, NOW)).isFalse();
        assertThat(schema.accepts(NOW - 1_000, NOW)).isTrue();
        assertThat(schema.accepts(NOW, NOW)).isTrue();
        assertThat(schema.accepts(NOW + 10, NOW)).isTrue();
        assertThat(schema.accepts(NOW + 11, NOW)).isFalse();
        assertThat(schema.oldestAccepted(NOW)).isEqualTo(NOW - 1_000);
        assertThat(schema.latestAccepted(NOW)).isEqualTo(NOW + 10);
    }

    @Test
    void aZeroSkewAcceptsNothingAfterNow() {
        EventSchema schema = withWindow(Duration.ofDays(1), Duration.ZERO);

        assertThat(schema.accepts(NOW, NOW)).isTrue();
        assertThat(schema.accepts(NOW + 1, NOW)).isFalse();
    }

    @Test
    void extremeTimesAndClocksNeitherOverflowNorWrapAround() {
        EventSchema schema = EventSchema.defaults();

        assertThat(schema.accepts(Long.MAX_VALUE, NOW)).isFalse();
        assertThat(schema.accepts(Long.MIN_VALUE, NOW)).isFalse();
        assertThat(schema.latestAccepted(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(schema.accepts(Long.MAX_VALUE, Long.MAX_VALUE - 1)).isTrue();
        assertThat(schema.oldestAccepted(Long.MIN_VALUE + 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(schema.accepts(Long.MIN_VALUE, Long.MIN_VALUE + 1)).isTrue();
        assertThat(schema.accepts(Long.MIN_VALUE, Long.MAX_VALUE)).isFalse();
        assertThat(schema.accepts(Long.MAX_VALUE, Long.MIN_VALUE)).isFalse();
    }

    @Test
    void refusesAWindowThatIsEmptyOrBackwards() {
        assertThatThrownBy(() -> withWindow(Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be positive, was PT0S");
        assertThatThrownBy(() -> withWindow(Duration.ofDays(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive, was PT-24H");
        assertThatThrownBy(() -> withWindow(Duration.ofDays(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFutureSkew must not be negative, was PT-1S");
        assertThatThrownBy(() -> withWindow(Duration.ofSeconds(Long.MAX_VALUE), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention PT2562047788015215H30M7S and maxFutureSkew PT0S must each fit in 64 bits of "
                        + "milliseconds");
    }

    @Test
    void refusesDimensionNamesThatCannotBePartOfARedisKeyOrAppearTwice() {
        assertThatThrownBy(() -> new EventSchema("event_id", "user_id", "session_id", List.of("event:type"), "value",
                "ts", "encoding", 2, 100L, 16, Duration.ofDays(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimension field names must be 1-64 characters of [A-Za-z0-9_.-] (they become part of Redis "
                        + "keys and fields), was 'event:type'");
        assertThatThrownBy(() -> new EventSchema("event_id", "user_id", "session_id", List.of("product", "product"),
                "value", "ts", "encoding", 2, 100L, 16, Duration.ofDays(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimension field names must be distinct, were [product, product]");
    }
}
