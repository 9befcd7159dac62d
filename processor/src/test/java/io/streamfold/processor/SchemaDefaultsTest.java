package io.streamfold.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.contract.EventSchema;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SchemaDefaultsTest {

    @Inject
    ProcessorConfig config;

    @Test
    void theDefaultSettingsDescribeTheDefaultSchema() {
        EventSchema schema = config.schema().toSchema();

        assertThat(schema.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(schema.maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(schema).isEqualTo(EventSchema.defaults());
    }
}
