package io.streamfold.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.testsupport.ConfigValidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

    @Test
    void acceptsTheDefaults() {
        assertThat(ConfigValidation.problems(ProcessorConfig.class, Map.of())).isEmpty();
    }

    @Test
    void acceptsZeroWhereZeroMeansNoWait() {
        assertThat(ConfigValidation.problems(ProcessorConfig.class, Map.of("streamfold.consumer.read-interval", "0s",
                "streamfold.consumer.drain-timeout", "0s", "streamfold.trim.min-age", "0s"))).isEmpty();
    }

    @Test
    void refusesEverySettingOutOfRangeNamingIt() {
        Map<String, String> settings = Map.ofEntries(
                Map.entry("streamfold.consumer.batch-size", "0"),
                Map.entry("streamfold.consumer.block", "0s"),
                Map.entry("streamfold.consumer.read-interval", "-1ms"),
                Map.entry("streamfold.consumer.max-deliveries", "0"),
                Map.entry("streamfold.consumer.reclaim-interval", "0s"),
                Map.entry("streamfold.consumer.stats-interval", "0s"),
                Map.entry("streamfold.aggregation.max-values-per-dimension", "-1"),
                Map.entry("streamfold.aggregation.session-gap", "500ms"),
                Map.entry("streamfold.trim.interval", "0s"),
                Map.entry("streamfold.redis.timeout", "0s"),
                Map.entry("streamfold.stream.name", " "),
                Map.entry("streamfold.schema.retention", "30s"),
                Map.entry("streamfold.schema.max-field-length", "0"));

        assertThat(ConfigValidation.problems(ProcessorConfig.class, settings)).containsExactlyInAnyOrder(
                "streamfold.consumer.batch-size must be greater than 0",
                "streamfold.consumer.block must be longer than or equal to 1 milli",
                "streamfold.consumer.read-interval must be longer than or equal to 0",
                "streamfold.consumer.max-deliveries must be greater than 0",
                "streamfold.consumer.reclaim-interval must be longer than or equal to 1 milli",
                "streamfold.consumer.stats-interval must be longer than or equal to 1 milli",
                "streamfold.aggregation.max-values-per-dimension must be greater than 0",
                "streamfold.aggregation.session-gap must be longer than or equal to 1 second",
                "streamfold.trim.interval must be longer than or equal to 1 milli",
                "streamfold.redis.timeout must be longer than or equal to 1 milli",
                "streamfold.stream.name must not be blank",
                "streamfold.schema.retention must be longer than or equal to 1 minute",
                "streamfold.schema.max-field-length must be greater than 0");
    }
}
