package io.streamfold.api.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SummaryCacheTest.CacheOn.class)
@QuarkusTestResource(RedisTestResource.class)
class SummaryCacheTest {

    /**
     * The cache switched on (the other tests switch it off to see every change at once), with entries kept
     * 3 s instead of production's 1 s, so a slow machine between two requests cannot fail the test.
     */
    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.cache.enabled", "true", "quarkus.cache.caffeine.\"summary\".expire-after-write", "3S");
        }
    }

    @InjectRedis
    RedisServer redis;

    @Test
    void servesTheSummaryFromMemoryUntilItsEntryExpires() {
        redis.command("FLUSHALL");
        redis.command("HSET", "{events}:agg:total", "count", "1", "sum", "100");
        given().get("/aggregates/summary").then().statusCode(200).body("totals.count", equalTo(1));
        redis.command("HSET", "{events}:agg:total", "count", "2", "sum", "200");

        given().get("/aggregates/summary").then().statusCode(200).body("totals.count", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().get("/aggregates/summary").then().statusCode(200).body("totals.count", equalTo(2)));
    }
}
