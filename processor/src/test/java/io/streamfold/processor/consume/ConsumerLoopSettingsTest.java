package io.streamfold.processor.consume;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.contract.EventSchema;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerLoopSettingsTest {

    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static EventSchema schemaWithMaxAbsUnits(long maxAbsUnits) {
        EventSchema defaults = EventSchema.defaults();
        return new EventSchema("event_id", "user_id", "session_id", List.of("event_type", "product"), "value", "ts",
                "encoding", 2, maxAbsUnits, 256, defaults.retention(), defaults.maxFutureSkew());
    }

    @Test
    void acceptsTheDefaults() {
        assertThatCode(() -> ConsumerLoop.checkSettings(BLOCK, TIMEOUT, 1000, EventSchema.defaults())).doesNotThrowAnyException();
    }

    @Test
    void refusesAMaxAbsValueWhoseBatchSumsCouldPassSixtyFourBitsNamingBothSettings() {
        EventSchema huge = schemaWithMaxAbsUnits(5_000_000_000_000_000_000L); // max-abs-value 5e16 at scale 2 (issue 26)

        assertThatThrownBy(() -> ConsumerLoop.checkSettings(BLOCK, TIMEOUT, 1000, huge))
                .hasMessage("streamfold.schema.max-abs-value (50000000000000000.00) times streamfold.consumer.batch-size "
                        + "(1000) passes the 64-bit range of the sums a batch adds up (9223372036854775807 units at "
                        + "scale 2); lower one of them");
        assertThatCode(() -> ConsumerLoop.checkSettings(BLOCK, TIMEOUT, 1, huge)).doesNotThrowAnyException();
    }

    @Test
    void refusesABlockNoShorterThanTheCommandTimeout() {
        assertThatThrownBy(() -> ConsumerLoop.checkSettings(TIMEOUT, TIMEOUT, 1000, EventSchema.defaults()))
                .hasMessage("streamfold.consumer.block (PT5S) must be shorter than streamfold.redis.timeout (PT5S)");
    }
}
