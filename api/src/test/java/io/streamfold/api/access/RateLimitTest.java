package io.streamfold.api.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.KeysForReadsAtThreePerSecond.class)
@QuarkusTestResource(RedisTestResource.class)
class RateLimitTest {

    /** Reads need a key too, and a key may make 3 requests per second. */
    public static class KeysForReadsAtThreePerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamfold.access.requests-per-second", "3", "streamfold.access.keys-for-reads", "true");
        }
    }

    @InjectRedis
    RedisServer redis;

    @Test
    void refusesAKeyOverItsRateWithRetryAfterWhileReadsNeedAKeyToo() {
        redis.command("FLUSHALL");
        given().get("/aggregates/summary").then().statusCode(401);
        for (int i = 0; i < 3; i++) {
            given().header("X-API-Key", "test-key-0123456789abcdef").get("/aggregates/summary").then().statusCode(200);
        }

        given().header("X-API-Key", "test-key-0123456789abcdef").get("/aggregates/summary").then().statusCode(429)
                .header("Retry-After", "1").contentType("application/problem+json")
                .body("detail", equalTo("API key 'test' is over its limit of 3 requests per second; retry after the "
                        + "time in Retry-After"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
