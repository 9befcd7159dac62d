package io.streamfold.processor.cleanup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.lettuce.core.Consumer;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streamfold.processor.consume.ConsumerLoop;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
@TestProfile(ConsumerCleanupTest.FastCleanup.class)
@QuarkusTestResource(RedisTestResource.class)
class ConsumerCleanupTest {

    private static final String STREAM = "{cleanup}";

    /** Its own stream; reads wait 100 ms, consumers idle for 500 ms are dead, a pass every 200 ms. */
    public static class FastCleanup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamfold.stream.name", "cleanup", "streamfold.consumer.block", "100ms",
                    "streamfold.consumer.cleanup-idle", "500ms", "streamfold.consumer.cleanup-interval", "200ms");
        }
    }

    @InjectRedis
    RedisServer server;

    @Inject
    ConsumerLoop loop;

    @RegisterExtension
    final RedisConnection connection = RedisConnection.toProcessorsStream(() -> server, STREAM);

    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        redis = connection.sync();
    }

    @Test
    void removesADeadConsumerAndKeepsTheLiveOneAndCountsIt() {
        assertThat(redis.xgroupCreateconsumer(STREAM, Consumer.from("aggregators", "ghost"))).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !consumerNames().contains("ghost"));

        assertThat(consumerNames()).containsExactly(loop.consumerName());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("processor_consumers_removed_total 1.0"))
                .body(containsString("processor_errors_total{stage=\"cleanup\"} 0.0"));
    }

    private List<String> consumerNames() {
        List<String> names = new ArrayList<>();
        for (Object entry : redis.xinfoConsumers(STREAM, "aggregators")) {
            List<?> fields = (List<?>) entry;
            names.add((String) fields.get(fields.indexOf("name") + 1));
        }
        return names;
    }
}
