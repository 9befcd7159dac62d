package io.streamfold.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.LettuceSession;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ConsumerLoopTest {

    private static final List<String> DIMENSIONS = List.of("event_type", "product");

    @InjectRedis
    RedisServer server;

    private LettuceSession session;
    private RedisCommands<String, String> redis;
    private AllTimeReads allTime;

    @BeforeEach
    void connect() {
        session = new LettuceSession(server.uri());
        redis = session.sync();
        allTime = new AllTimeReads(redis, KeyLayout.defaults());
    }

    @AfterEach
    void disconnect() {
        session.close();
    }

    @Test
    void aggregatesEveryEventExactlyAndDeadLettersMalformedEntries() {
        List<Map<String, String>> events = new RandomEvents(42, 30).next(5_000);
        ExpectedAggregates expected = new ExpectedAggregates(DIMENSIONS);
        events.forEach(expected::add);
        Map<String, String> notANumber = new TreeMap<>(events.get(0));
        notANumber.put("value", "12,50");
        Map<String, String> noTimestamp = new TreeMap<>(events.get(1));
        noTimestamp.remove("ts");
        Map<String, String> tooOld = new TreeMap<>(events.get(2));
        tooOld.put("ts", String.valueOf(System.currentTimeMillis() - Duration.ofDays(8).toMillis()));
        Map<String, String> future = new TreeMap<>(events.get(3));
        future.put("ts", String.valueOf(System.currentTimeMillis() + Duration.ofHours(1).toMillis()));

        for (int i = 0; i < events.size(); i++) {
            redis.xadd("{events}", events.get(i));
            if (i == 1_000) {
                redis.xadd("{events}", notANumber);
            }
            if (i == 2_000) {
                redis.xadd("{events}", tooOld);
            }
            if (i == 3_000) {
                redis.xadd("{events}", noTimestamp);
            }
            if (i == 4_000) {
                redis.xadd("{events}", future);
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> redis.xlen("{events}:dlq") == 4
                && String.valueOf(expected.count()).equals(allTime.totals().get("count")));
        assertThat(allTime.totals()).isEqualTo(expected.totalsInUnits(2));
        for (String dimension : DIMENSIONS) {
            assertThat(allTime.by(KeyLayout.COUNT, dimension)).isEqualTo(
                    expected.countsBy(dimension).entrySet().stream().collect(Collectors.toMap(
                            Map.Entry::getKey, e -> String.valueOf(e.getValue()), (a, b) -> a, TreeMap::new)));
            assertThat(allTime.by(KeyLayout.SUM, dimension))
                    .isEqualTo(expected.sumUnitsBy(dimension, 2));
        }
        List<StreamMessage<String, String>> deadLetters = redis.xrange("{events}:dlq", Range.create("-", "+"));
        assertThat(deadLetters).extracting(m -> m.getBody().get("dlq_reason"))
                .containsExactly("value_not_a_number", "too_old", "missing_field", "future_ts");
        assertThat(deadLetters.get(0).getBody()).containsEntry("value", "12,50")
                .containsEntry("dlq_detail", "field 'value' is not a decimal number: '12,50'");
        assertThat(redis.xpending("{events}", "aggregators").getCount()).isZero();
    }

    @Test
    void reportsLiveAndReadyAndExportsItsMeters() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.group", equalTo("aggregators"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("processor_events_total{outcome=\"committed\""))
                .body(containsString("processor_event_latency_seconds_bucket"))
                .body(containsString("processor_group_consumers 1.0"))
                .body(containsString("processor_group_pending 0.0")));
    }
}
