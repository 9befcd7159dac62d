package io.streamfold.api.problem;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
@TestProfile(RedisDownTest.ShortRedisTimeout.class)
@QuarkusTestResource(RedisTestResource.class)
class RedisDownTest {

    /** Commands time out after 300 ms, so a request against a dead Redis fails within seconds. */
    public static class ShortRedisTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamfold.redis.timeout", "300ms");
        }
    }

    private static final String EVENT = """
            {"event_id":"e1","user_id":"u1","session_id":"s1","event_type":"view","product":"p1","value":"1.00","ts":%d}
            """;

    @InjectRedis
    RedisServer redis;

    @Test
    void answersReadsAndWritesWith503AndRetryAfterWhileRedisIsDownAndServesAgainOnceItIsBack() {
        assumeTrue(redis.controllable(), "needs a Redis server the harness can kill (not REDIS_URL)");
        given().get("/aggregates/top?dimension=product").then().statusCode(200);

        redis.kill();
        try {
            given().get("/aggregates/top?dimension=product").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "1")
                    .body("status", equalTo(503)).body("title", equalTo("Service Unavailable"))
                    .body("detail", startsWith("Redis is unavailable: it cannot be reached; try again shortly"))
                    .body("instance", equalTo("/aggregates/top"));
            given().header("X-API-Key", "test-key-0123456789abcdef").contentType("application/json")
                    .body(EVENT.formatted(System.currentTimeMillis())).post("/events").then().statusCode(503)
                    .header("Retry-After", "1").body("detail", startsWith("Redis is unavailable: "));
            given().header("X-API-Key", "test-key-0123456789abcdef").header("Idempotency-Key", "order-42")
                    .contentType("application/json").body(EVENT.formatted(System.currentTimeMillis())).post("/events")
                    .then().statusCode(503).header("Retry-After", "1").body("detail", startsWith("Redis is unavailable: "));
        } finally {
            redis.start();
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/aggregates/top?dimension=product").then().statusCode(200));
    }
}
