package io.streamfold.api.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.streamfold.api.config.ApiConfig;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retried ingestion request gets its first answer back even when validation would now refuse its body: the API's
 * clock is moved past the event's retention between the two attempts.
 */
@QuarkusTest
@TestProfile(IdempotentRetryTest.MovedClock.class)
@QuarkusTestResource(RedisTestResource.class)
class IdempotentRetryTest {

    /** The API judges event times by a {@link MovableClock}. */
    public static class MovedClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    /** UTC system time plus an offset a test moves forward. */
    @Alternative
    @Singleton
    public static class MovableClock extends Clock {

        private final AtomicLong offsetMillis = new AtomicLong();

        void moveBy(Duration duration) {
            offsetMillis.addAndGet(duration.toMillis());
        }

        void reset() {
            offsetMillis.set(0);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the API's clock is UTC");
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }
    }

    @InjectRedis
    RedisServer redis;

    @Inject
    MovableClock clock;

    @Inject
    ApiConfig config;

    @BeforeEach
    void emptyRedisAndResetTheClock() {
        redis.command("FLUSHALL");
        clock.reset();
    }

    private String event(long ts, String value) {
        return "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"session_id\":\"s1\",\"event_type\":\"purchase\","
                + "\"product\":\"p1\",\"value\":" + value + ",\"ts\":" + ts + "}";
    }

    private ValidatableResponse post(String idempotencyKey, String body) {
        var request = given().header("X-API-Key", EventsResourceTest.KEY).contentType("application/json").body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/events").then();
    }

    /** Moves the API's clock so far ahead that an event of now is older than the retention allows. */
    private void moveTheClockPastTheRetentionOfNow() {
        clock.moveBy(config.schema().retention().plusMinutes(1));
    }

    @Test
    void aRetryOfAnAcceptedRequestGetsItsFirstAnswerEvenIfItsEventIsNoLongerValid() {
        String body = "[" + event(clock.millis(), "5") + "," + event(clock.millis(), "6") + "]";
        List<String> first = post("order-42", body).statusCode(202).extract().path("ids");

        moveTheClockPastTheRetentionOfNow();
        List<String> again = post("order-42", body).statusCode(202).header("Idempotent-Replayed", "true")
                .extract().path("ids");
        post("order-43", body).statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("2 of 2 events are invalid, so none was accepted; event 0: field 'ts' is "));

        assertThat(first).hasSize(2);
        assertThat(again).isEqualTo(first);
        assertThat(redis.command("XLEN", "{events}")).isEqualTo(":2");
    }

    @Test
    void aReusedKeyWithAnotherBodyIsRefusedAsAConflictEvenIfThatBodyIsInvalid() {
        long ts = clock.millis();
        post("order-42", event(ts, "5")).statusCode(202);

        moveTheClockPastTheRetentionOfNow();
        post("order-42", event(ts, "\"1.234\"")).statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("Idempotency-Key was used before with a different body; use a new key for a new "
                        + "request"));

        assertThat(redis.command("XLEN", "{events}")).isEqualTo(":1");
    }

    @Test
    void aFirstRequestWithAKeyIsStillValidatedAndWritesNothingWhenInvalid() {
        moveTheClockPastTheRetentionOfNow();
        post("order-42", event(System.currentTimeMillis(), "5")).statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("1 of 1 events are invalid, so none was accepted; event 0: field 'ts' is "));

        assertThat(redis.command("EXISTS", "{events}")).isEqualTo(":0");
        post("order-42", event(clock.millis(), "5")).statusCode(202).header("Idempotent-Replayed", nullValue());
        assertThat(redis.command("XLEN", "{events}")).isEqualTo(":1");
    }
}
