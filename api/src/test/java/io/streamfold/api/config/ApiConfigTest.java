package io.streamfold.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.testsupport.ConfigValidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void acceptsTheDefaults() {
        assertThat(ConfigValidation.problems(ApiConfig.class, Map.of())).isEmpty();
    }

    @Test
    void refusesEverySettingOutOfRangeNamingIt() {
        Map<String, String> settings = Map.of(
                "streamfold.access.requests-per-second", "0",
                "streamfold.access.max-events-per-request", "-5",
                "streamfold.access.max-body-bytes", "0",
                "streamfold.access.idempotency-ttl", "0s",
                "streamfold.schema.max-abs-value", "0",
                "streamfold.schema.scale", "-1");

        assertThat(ConfigValidation.problems(ApiConfig.class, settings)).containsExactlyInAnyOrder(
                "streamfold.access.requests-per-second must be greater than 0",
                "streamfold.access.max-events-per-request must be greater than 0",
                "streamfold.access.max-body-bytes must be greater than 0",
                "streamfold.access.idempotency-ttl must be longer than or equal to 1 second",
                "streamfold.schema.max-abs-value must be greater than 0",
                "streamfold.schema.scale must be greater than or equal to 0");
    }
}
