package io.streamfold.api.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class EventsResourceTest {

    static final String KEY = "test-key-0123456789abcdef";

    @InjectRedis
    RedisServer redis;

    @Inject
    RedissonClient redisson;

    private final long now = System.currentTimeMillis();

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    private String event(String value) {
        return "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"session_id\":\"s1\",\"event_type\":\"purchase\","
                + "\"product\":\"p1\",\"value\":" + value + ",\"ts\":" + now + "}";
    }

    private ValidatableResponse post(String body) {
        return given().header("X-API-Key", KEY).contentType("application/json").body(body).post("/events").then();
    }

    /** The stream's entries in order: id → fields. */
    private List<Map.Entry<String, Map<String, String>>> entries() {
        List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>();
        redisson.<String, String>getStream("{events}", StringCodec.INSTANCE).range(StreamMessageId.MIN, StreamMessageId.MAX)
                .forEach((id, fields) -> entries.add(Map.entry(id.toString(), fields)));
        return entries;
    }

    @Test
    void appendsOneEventWithItsFieldsExactlyAsSent() {
        String id = post(event("\"12.30\"")).statusCode(202).body("ids", hasSize(1)).extract().path("ids[0]");

        var entries = entries();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getKey()).isEqualTo(id);
        assertThat(entries.get(0).getValue()).isEqualTo(Map.of("event_id", "e1", "user_id", "u1", "session_id", "s1",
                "event_type", "purchase", "product", "p1", "value", "12.30", "ts", String.valueOf(now)));
    }

    @Test
    void appendsAnArrayInOrderAndKeepsJsonNumbersExact() {
        List<String> ids = post("[" + event("0.10") + "," + event("12.30") + "," + event("-7") + "]").statusCode(202)
                .extract().path("ids");

        assertThat(entries()).extracting(Map.Entry::getKey).isEqualTo(ids);
        assertThat(entries()).extracting(entry -> entry.getValue().get("value")).containsExactly("0.10", "12.30", "-7");
    }

    @Test
    void acceptsNoneWhenOneIsInvalidAndListsEveryFault() {
        post("[" + event("1") + "," + event("\"1.234\"") + "," + event("\"x\"") + "]").statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("2 of 3 events are invalid, so none was accepted; event 1: field 'value' has 3 "
                        + "decimals; at most 2 are allowed: '1.234'"))
                .body("errors[0].index", equalTo(1)).body("errors[0].reason", equalTo("too_many_decimals"))
                .body("errors[1].index", equalTo(2)).body("errors[1].reason", equalTo("value_not_a_number"))
                .body("errors[1].field", equalTo("value"));

        assertThat(redis.command("EXISTS", "{events}")).isEqualTo(":0");
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyIsNotEnqueuedTwice() {
        String body = event("5");
        List<String> first = given().header("X-API-Key", KEY).header("Idempotency-Key", "order-42")
                .contentType("application/json").body(body).post("/events").then().statusCode(202).extract().path("ids");

        List<String> again = given().header("X-API-Key", KEY).header("Idempotency-Key", "order-42")
                .contentType("application/json").body(body).post("/events").then().statusCode(202)
                .header("Idempotent-Replayed", "true").extract().path("ids");
        given().header("X-API-Key", KEY).header("Idempotency-Key", "order-42").contentType("application/json")
                .body(event("6")).post("/events").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("Idempotency-Key was used before with a different body; use a new key for a new request"));

        assertThat(again).isEqualTo(first);
        assertThat(entries()).hasSize(1);
    }

    @Test
    void refusesWritesWithoutAValidApiKey() {
        given().contentType("application/json").body(event("1")).post("/events").then().statusCode(401)
                .header("WWW-Authenticate", "ApiKey header=\"X-API-Key\"").contentType("application/problem+json")
                .body("detail", equalTo("this request needs an API key in the X-API-Key header"));
        given().header("X-API-Key", KEY + "x").contentType("application/json").body(event("1")).post("/events").then()
                .statusCode(401).body("detail", equalTo("the API key in the X-API-Key header is not valid"));

        assertThat(redis.command("EXISTS", "{events}")).isEqualTo(":0");
    }
}
