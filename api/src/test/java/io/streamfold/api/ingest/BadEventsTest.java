package io.streamfold.api.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad ingestion requests, one per row: each gets its documented status and an exact problem+json
 * detail, and the stream is never written. In the bodies, {@code NOW} stands for the current time,
 * {@code LATER} for an hour ahead; {@code <bad-utf8>} for bytes that are not UTF-8.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadEventsTest {

    private static final String GOOD = "\"event_id\":\"e\",\"user_id\":\"u\",\"session_id\":\"s\","
            + "\"event_type\":\"view\",\"product\":\"p\"";

    @InjectRedis
    RedisServer redis;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            application/json | key   | {GOOD,"value":"1.234","ts":NOW}             | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'value' has 3 decimals; at most 2 are allowed: '1.234'
            application/json | key   | {GOOD,"value":"NaN","ts":NOW}               | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'value' is not a decimal number: 'NaN'
            application/json | key   | {GOOD,"value":"Infinity","ts":NOW}          | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'value' is not a decimal number: 'Infinity'
            application/json | key   | {GOOD,"value":NaN,"ts":NOW}                 | 400 | PREFIX the body is not valid JSON
            application/json | key   | {GOOD,"value":1e400,"ts":NOW}               | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'value' is 401 characters long; at most 256 are allowed
            application/json | key   | {GOOD,"value":"-1000000000.01","ts":NOW}    | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'value' is out of range: '-1000000000.01' is beyond ±1000000000.00
            application/json | key   | {GOOD,"value":true,"ts":NOW}                | 400 | the event: field 'value' must be a string or a number; was a JSON boolean
            application/json | key   | {GOOD,"value":{"a":1},"ts":NOW}             | 400 | the event: field 'value' must be a string or a number; was a JSON object
            application/json | key   | {GOOD,"value":null,"ts":NOW}                | 400 | the event: field 'value' must be a string or a number; was a JSON null
            application/json | key   | {GOOD,"ts":NOW}                             | 400 | 1 of 1 events are invalid, so none was accepted; event 0: missing field 'value'
            application/json | key   | {GOOD,"value":"1","ts":LATER}               | 400 | PREFIX 1 of 1 events are invalid, so none was accepted; event 0: field 'ts' is
            application/json | key   | {GOOD,"value":"1","ts":"yesterday"}         | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'ts' is not an integer of epoch milliseconds: 'yesterday'
            application/json | key   | {GOOD,"value":"1","ts":NOW,"ts":NOW}        | 400 | PREFIX the body is not valid JSON: Duplicate field 'ts'
            application/json | key   | [{GOOD,"value":"1","ts":NOW},"x"]           | 400 | event 1 must be a JSON object; was a JSON string
            application/json | key   | []                                          | 400 | the array is empty; send at least one event
            application/json | key   | "hello"                                     | 400 | the body must be one event object or an array of them; was a JSON string
            application/json | key   | {GOOD,"value":"1","ts":NOW}}                | 400 | PREFIX the body is not valid JSON
            application/json | key   | <bad-utf8>                                  | 400 | PREFIX the body is not valid JSON
            application/json | key   | <lone-surrogate>                            | 400 | 1 of 1 events are invalid, so none was accepted; event 0: field 'user_id' is not valid UTF-8 (it holds a lone surrogate, which has no UTF-8 form)
            application/json | key   | ``                                          | 400 | the body is empty; send one event object or an array of them
            application/json | key   | [{},{},{},{},{},{}]                         | 413 | the array holds 6 events; at most 5 are accepted per request
            application/json | key   | <5000-bytes>                                | 413 | the body is 5000 bytes; at most 4096 are accepted
            application/json | key   | {GOOD,"value":"1');redis.call('FLUSHALL');--","ts":NOW} | 400 | PREFIX 1 of 1 events are invalid, so none was accepted; event 0: field 'value' is not a decimal number
            text/plain       | key   | {GOOD,"value":"1","ts":NOW}                 | 415 | unsupported content type; send application/json
            application/json | none  | {GOOD,"value":"1","ts":NOW}                 | 401 | this request needs an API key in the X-API-Key header
            application/json | wrong | {GOOD,"value":"1","ts":NOW}                 | 401 | the API key in the X-API-Key header is not valid
            """)
    void refusesWithAPreciseProblemAndWritesNothing(String contentType, String key, String body, int status, String detail) {
        long now = System.currentTimeMillis();
        byte[] bytes = switch (body) {
            case "<bad-utf8>" -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            case "<5000-bytes>" -> ("[" + " ".repeat(4998) + "]").getBytes(StandardCharsets.UTF_8);
            case "<lone-surrogate>" -> ("{" + GOOD.replace("\"user_id\":\"u\"", "\"user_id\":\"u\\ud800\"")
                    + ",\"value\":\"1\",\"ts\":" + now + "}").getBytes(StandardCharsets.UTF_8);
            default -> body.replace("GOOD", GOOD).replace("LATER", String.valueOf(now + 3_600_000))
                    .replace("NOW", String.valueOf(now)).getBytes(StandardCharsets.UTF_8);
        };
        var request = given().contentType(contentType).body(bytes);
        if (!key.equals("none")) {
            request.header("X-API-Key", key.equals("key") ? EventsResourceTest.KEY : "not-the-key-0123456789");
        }

        var response = request.post("/events").then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("instance", equalTo("/events"));

        String actual = response.extract().path("detail");
        if (detail.startsWith("PREFIX ")) {
            assertThat(actual).startsWith(detail.substring("PREFIX ".length()));
        } else {
            assertThat(actual).isEqualTo(detail);
        }
        assertThat(redis.command("EXISTS", "{events}")).isEqualTo(":0");
    }
}
