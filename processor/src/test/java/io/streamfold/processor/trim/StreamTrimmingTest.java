package io.streamfold.processor.trim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
@TestProfile(StreamTrimmingTest.FastTrimming.class)
@QuarkusTestResource(RedisTestResource.class)
class StreamTrimmingTest {

    private static final String STREAM = "{trim}";
    private static final int EVENTS = 3_000;
    private static final Pattern TRIMMED = Pattern.compile("(?m)^processor_stream_trimmed_total (\\S+)$");
    private static final Pattern ENTRIES = Pattern.compile("(?m)^processor_stream_entries (\\S+)$");

    /** Its own stream; a trimming pass every 200 ms. */
    public static class FastTrimming implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamfold.stream.name", "trim", "streamfold.consumer.block", "100ms",
                    "streamfold.trim.interval", "200ms");
        }
    }

    @InjectRedis
    RedisServer server;

    @RegisterExtension
    final RedisConnection connection = RedisConnection.toProcessorsStream(() -> server, STREAM);

    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        redis = connection.sync();
    }

    @Test
    void trimsTheEntriesItsGroupCommittedCountsThemAndReportsWhatIsLeft() {
        new RandomEvents(11, 5).next(EVENTS).forEach(fields -> redis.xadd(STREAM, fields));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            long kept = redis.xlen(STREAM);
            assertThat(kept).as("entries kept").isLessThan(200);
            assertThat(metric(TRIMMED)).as("entries counted as trimmed").isEqualTo(EVENTS - kept);
            assertThat(metric(ENTRIES)).as("entries in the stream, as the gauge reports them").isEqualTo((double) kept);
        });

        assertThat(new AllTimeReads(redis, new KeyLayout("trim", "aggregators")).totals()).containsEntry("count",
                String.valueOf(EVENTS));
        given().get("/q/metrics").then().statusCode(200).body(containsString("processor_errors_total{stage=\"trim\"} 0.0"));
    }

    /** A meter's value as exported ({@code NaN} for a gauge not sampled yet). */
    private static double metric(Pattern pattern) {
        Response metrics = given().get("/q/metrics");
        Matcher value = pattern.matcher(metrics.asString());
        assertThat(value.find()).as("%s exported", pattern).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
