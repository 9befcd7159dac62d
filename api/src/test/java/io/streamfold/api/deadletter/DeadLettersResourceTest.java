package io.streamfold.api.deadletter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DeadLettersResourceTest {

    private static final String KEY = "test-key-0123456789abcdef";

    @InjectRedis
    RedisServer redis;

    @Inject
    RedissonClient redisson;

    @BeforeEach
    void seed() {
        redis.command("FLUSHALL");
        redis.command("XADD", "{events}:dlq", "5-1", "value", "1.234", "dlq_reason", "too_many_decimals");
        redis.command("XADD", "{events}:dlq", "6-1", "value", "x", "ts", "1", "dlq_reason", "value_not_a_number");
    }

    @Test
    void listsTheNewestDeadLettersFirst() {
        given().queryParam("count", "1").get("/deadletters").then().statusCode(200).body(equalTo(
                "[{\"id\":\"6-1\",\"fields\":{\"value\":\"x\",\"ts\":\"1\",\"dlq_reason\":\"value_not_a_number\"}}]"));
        given().queryParam("count", "0").get("/deadletters").then().statusCode(400)
                .body("detail", equalTo("query parameter 'count' must be a whole number from 1 to 1000; was '0'"));
    }

    @Test
    void replaysNamedDeadLettersOntoTheStreamWithTheirOriginalFieldsOnly() {
        String entry = given().header("X-API-Key", KEY).contentType("application/json")
                .body("{\"ids\":[\"6-1\",\"9-9\"]}").post("/deadletters/replay").then().statusCode(202)
                .body("replayed[0].deadLetter", equalTo("6-1")).body("missing", equalTo(java.util.List.of("9-9")))
                .extract().path("replayed[0].entry");

        Map<StreamMessageId, Map<String, String>> stream = redisson.<String, String>getStream("{events}", StringCodec.INSTANCE)
                .range(StreamMessageId.MIN, StreamMessageId.MAX);
        assertThat(stream).hasSize(1);
        assertThat(stream.keySet().iterator().next().toString()).isEqualTo(entry);
        assertThat(stream.values().iterator().next()).isEqualTo(Map.of("value", "x", "ts", "1"));
        assertThat(redis.command("XLEN", "{events}:dlq")).isEqualTo(":1");
    }

    @Test
    void refusesAReplayWithoutAKeyOrWithABadBody() {
        given().contentType("application/json").body("{\"ids\":[\"6-1\"]}").post("/deadletters/replay").then()
                .statusCode(401);
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"ids\":[\"6-1\"")
                .post("/deadletters/replay").then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the "));
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"ids\":\"6-1\"}")
                .post("/deadletters/replay").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("the body is not JSON of the shape this resource takes (line 1, column 8); "
                        + "see /q/openapi"));
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"ids\":[\"six\"]}")
                .post("/deadletters/replay").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("dead letter id 'six' is not a stream entry id such as 1764000000000-0"));
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"ids\":[]}")
                .post("/deadletters/replay").then().statusCode(400)
                .body("detail", equalTo("the body must be {\"ids\": [...]} naming at least one dead letter"));

        assertThat(redis.command("XLEN", "{events}:dlq")).isEqualTo(":2");
        assertThat(redis.command("EXISTS", "{events}")).isEqualTo(":0");
    }
}
