package io.streamfold.producer.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.testsupport.ConfigValidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

    @Test
    void acceptsTheDefaultsAndZeroForUnlimited() {
        assertThat(ConfigValidation.problems(ProducerConfig.class, Map.of())).isEmpty();
        assertThat(ConfigValidation.problems(ProducerConfig.class,
                Map.of("streamfold.producer.count", "0", "streamfold.producer.rate", "0"))).isEmpty();
    }

    @Test
    void refusesEverySettingOutOfRangeNamingIt() {
        Map<String, String> settings = Map.of(
                "streamfold.producer.count", "-1",
                "streamfold.producer.rate", "-1",
                "streamfold.producer.pipeline", "0",
                "streamfold.producer.products", "0",
                "streamfold.producer.users", "0",
                "streamfold.stream.group", " ");

        assertThat(ConfigValidation.problems(ProducerConfig.class, settings)).containsExactlyInAnyOrder(
                "streamfold.producer.count must be greater than or equal to 0",
                "streamfold.producer.rate must be greater than or equal to 0",
                "streamfold.producer.pipeline must be greater than 0",
                "streamfold.producer.products must be greater than 0",
                "streamfold.producer.users must be greater than 0",
                "streamfold.stream.group must not be blank");
    }
}
