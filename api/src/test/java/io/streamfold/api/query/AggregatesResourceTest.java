package io.streamfold.api.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.contract.SessionSummary;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/** Every query endpoint over a seeded Redis, answer by answer, as exact JSON. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AggregatesResourceTest {

    /** An epoch minute of November 2026, far from now's last minute, which the summary reads on its own. */
    private static final long UNSETTLED = 29_600_000;

    @InjectRedis
    RedisServer redis;

    @Inject
    RedissonClient redisson;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @Test
    void servesTotalsAndEveryDimensionWithExactSumsMostFrequentFirst() {
        redis.command("HSET", "{events}:agg:total", "count", "5", "sum", "-1999999999999");
        redis.command("HSET", "{events}:agg:count:event_type", "view", "3", "refund", "2");
        redis.command("HSET", "{events}:agg:sum:event_type", "view", "1", "refund", "-2000000000000");
        redis.command("HSET", "{events}:agg:count:product", "p1", "5");
        redis.command("HSET", "{events}:agg:sum:product", "p1", "-1999999999999");
        long lastMinute = System.currentTimeMillis() / 60_000 - 1;
        redis.command("HSET", "{events}:bin:" + lastMinute, "count", "4", "sum", "1250", "count:product:p1", "4");

        String lastMinuteStart = Instant.ofEpochMilli(lastMinute * 60_000).toString();
        given().get("/aggregates/summary").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":5,\"sum\":-19999999999.99},"
                        + "\"dimensions\":{\"event_type\":[{\"value\":\"view\",\"count\":3,\"sum\":0.01},"
                        + "{\"value\":\"refund\",\"count\":2,\"sum\":-20000000000.00}],"
                        + "\"product\":[{\"value\":\"p1\",\"count\":5,\"sum\":-19999999999.99}]},"
                        + "\"lastMinute\":{\"start\":\"" + lastMinuteStart + "\",\"count\":4,\"sum\":12.50}}"));
    }

    @Test
    void servesZerosBeforeAnyEventWasCommitted() {
        String lastMinuteStart = Instant.ofEpochMilli((System.currentTimeMillis() / 60_000 - 1) * 60_000).toString();
        given().get("/aggregates/summary").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":0,\"sum\":0.00},\"dimensions\":{\"event_type\":[],\"product\":[]},"
                        + "\"lastMinute\":{\"start\":\"" + lastMinuteStart + "\",\"count\":0,\"sum\":0.00}}"));
    }

    @Test
    void servesEveryCellOverAllTimeWithMinMaxAndMean() {
        redis.command("HSET", "{events}:agg:total", "count", "3", "sum", "301", "min", "-99", "max", "300");
        redis.command("HSET", "{events}:agg:count:event_type", "view", "2", "buy", "1");
        redis.command("HSET", "{events}:agg:sum:event_type", "view", "201", "buy", "100");
        redis.command("HSET", "{events}:agg:min:event_type", "view", "-99", "buy", "100");
        redis.command("HSET", "{events}:agg:max:event_type", "view", "300", "buy", "100");

        given().get("/aggregates").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":3,\"sum\":3.01,\"min\":-0.99,\"max\":3.00,\"mean\":1.0033},"
                        + "\"dimensions\":{\"event_type\":["
                        + "{\"value\":\"view\",\"stats\":{\"count\":2,\"sum\":2.01,\"min\":-0.99,\"max\":3.00,\"mean\":1.0050}},"
                        + "{\"value\":\"buy\",\"stats\":{\"count\":1,\"sum\":1.00,\"min\":1.00,\"max\":1.00,\"mean\":1.0000}}],"
                        + "\"product\":[]}}"));
    }

    @Test
    void addsTheUnsettledMinutesToEveryCellOverAllTimeButNotASettledOne() {
        seedAllTimeAndTwoUnsettledMinutesAndASettledOne();

        given().get("/aggregates").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":8,\"sum\":13.08,\"min\":-1.50,\"max\":5.00,\"mean\":1.6350},"
                        + "\"dimensions\":{\"event_type\":["
                        + "{\"value\":\"buy\",\"stats\":{\"count\":4,\"sum\":10.00,\"min\":-1.50,\"max\":5.00,\"mean\":2.5000}}],"
                        + "\"product\":["
                        + "{\"value\":\"p1\",\"stats\":{\"count\":4,\"sum\":7.08,\"min\":-0.99,\"max\":5.00,\"mean\":1.7700}},"
                        + "{\"value\":\"p3\",\"stats\":{\"count\":3,\"sum\":5.00,\"min\":-1.50,\"max\":4.00,\"mean\":1.6667}},"
                        + "{\"value\":\"p2\",\"stats\":{\"count\":1,\"sum\":1.00,\"min\":1.00,\"max\":1.00,\"mean\":1.0000}}]}}"));
    }

    @Test
    void addsTheUnsettledMinutesToTheSummaryButNotASettledOne() {
        seedAllTimeAndTwoUnsettledMinutesAndASettledOne();
        long lastMinute = System.currentTimeMillis() / 60_000 - 1;
        redis.command("HSET", "{events}:bin:" + lastMinute, "count", "6", "sum", "-75");

        String lastMinuteStart = Instant.ofEpochMilli(lastMinute * 60_000).toString();
        given().get("/aggregates/summary").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":8,\"sum\":13.08},"
                        + "\"dimensions\":{\"event_type\":[{\"value\":\"buy\",\"count\":4,\"sum\":10.00}],"
                        + "\"product\":[{\"value\":\"p1\",\"count\":4,\"sum\":7.08},"
                        + "{\"value\":\"p3\",\"count\":3,\"sum\":5.00},{\"value\":\"p2\",\"count\":1,\"sum\":1.00}]},"
                        + "\"lastMinute\":{\"start\":\"" + lastMinuteStart + "\",\"count\":6,\"sum\":-0.75}}"));
    }

    @Test
    void ranksTheTopValuesOverAllTimeWithTheUnsettledMinutesButNotASettledOne() {
        seedAllTimeAndTwoUnsettledMinutesAndASettledOne();

        given().queryParam("dimension", "product").queryParam("n", "2").get("/aggregates/top").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"metric\":\"count\",\"window\":\"all\",\"entries\":["
                        + "{\"value\":\"p1\",\"count\":4,\"sum\":7.08},{\"value\":\"p3\",\"count\":3,\"sum\":5.00}]}"));
        given().queryParam("dimension", "event_type").queryParam("metric", "sum").get("/aggregates/top").then()
                .statusCode(200)
                .body(equalTo("{\"dimension\":\"event_type\",\"metric\":\"sum\",\"window\":\"all\",\"entries\":["
                        + "{\"value\":\"buy\",\"count\":4,\"sum\":10.00}]}"));
    }

    /**
     * All-time hashes, the unsettled minutes {@code UNSETTLED} and {@code UNSETTLED + 1} with bins only, and the minute
     * {@code UNSETTLED - 1} with a bin but settled already (not in {@code {events}:settle:minutes}): its cells are in the
     * all-time hashes and must not count twice. A settled minute's cells are made large enough to show if added.
     */
    private void seedAllTimeAndTwoUnsettledMinutesAndASettledOne() {
        redis.command("HSET", "{events}:agg:total", "count", "3", "sum", "301", "min", "-99", "max", "300");
        redis.command("HSET", "{events}:agg:count:product", "p1", "2", "p2", "1");
        redis.command("HSET", "{events}:agg:sum:product", "p1", "201", "p2", "100");
        redis.command("HSET", "{events}:agg:min:product", "p1", "-99", "p2", "100");
        redis.command("HSET", "{events}:agg:max:product", "p1", "300", "p2", "100");
        redis.command("ZADD", "{events}:settle:minutes", String.valueOf(UNSETTLED), String.valueOf(UNSETTLED),
                String.valueOf(UNSETTLED + 1), String.valueOf(UNSETTLED + 1));
        redis.command("HSET", "{events}:bin:" + UNSETTLED, "count", "4", "sum", "1000", "min", "-150", "max", "500",
                "count:product:p1", "1", "sum:product:p1", "500", "min:product:p1", "500", "max:product:p1", "500",
                "count:product:p3", "3", "sum:product:p3", "500", "min:product:p3", "-150", "max:product:p3", "400",
                "count:event_type:buy", "4", "sum:event_type:buy", "1000", "min:event_type:buy", "-150",
                "max:event_type:buy", "500");
        redis.command("HSET", "{events}:bin:" + (UNSETTLED + 1), "count", "1", "sum", "7", "min", "7", "max", "7",
                "count:product:p1", "1", "sum:product:p1", "7", "min:product:p1", "7", "max:product:p1", "7");
        redis.command("HSET", "{events}:bin:" + (UNSETTLED - 1), "count", "50", "sum", "5000", "min", "-9999",
                "max", "9999", "count:product:p2", "50", "sum:product:p2", "5000", "min:product:p2", "-9999",
                "max:product:p2", "9999", "count:event_type:view", "50", "sum:event_type:view", "5000");
    }

    @Test
    void rollsMinuteBinsUpToFiveMinuteStepsOfOneDimensionValue() {
        long firstStep = (System.currentTimeMillis() / 300_000 - 4) * 5;
        redis.command("HSET", "{events}:bin:" + firstStep, "count:product:p1", "2", "sum:product:p1", "500",
                "min:product:p1", "100", "max:product:p1", "400", "count:product:p2", "9");
        redis.command("HSET", "{events}:bin:" + (firstStep + 4), "count:product:p1", "1", "sum:product:p1", "-50",
                "min:product:p1", "-50", "max:product:p1", "-50");
        redis.command("HSET", "{events}:bin:" + (firstStep + 10), "count:product:p1", "1", "sum:product:p1", "7",
                "min:product:p1", "7", "max:product:p1", "7");
        String from = Instant.ofEpochMilli(firstStep * 60_000).toString();
        String to = Instant.ofEpochMilli((firstStep + 14) * 60_000 + 59_999).toString();

        given().queryParam("dimension", "product").queryParam("value", "p1").queryParam("from", from)
                .queryParam("to", to).queryParam("step", "5m")
                .get("/aggregates/timeseries").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"value\":\"p1\",\"from\":\"" + from + "\",\"to\":\"" + to
                        + "\",\"step\":\"5m\",\"points\":["
                        + "{\"start\":\"" + from + "\",\"stats\":{\"count\":3,\"sum\":4.50,\"min\":-0.50,\"max\":4.00,\"mean\":1.5000}},"
                        + "{\"start\":\"" + Instant.ofEpochMilli((firstStep + 5) * 60_000) + "\",\"stats\":{\"count\":0,\"sum\":0.00}},"
                        + "{\"start\":\"" + Instant.ofEpochMilli((firstStep + 10) * 60_000)
                        + "\",\"stats\":{\"count\":1,\"sum\":0.07,\"min\":0.07,\"max\":0.07,\"mean\":0.0700}}]}"));
    }

    @Test
    void servesTheSeriesOfAllEventsMinuteByMinute() {
        long minute = System.currentTimeMillis() / 60_000 - 10;
        redis.command("HSET", "{events}:bin:" + minute, "count", "2", "sum", "3", "min", "1", "max", "2");
        String from = Instant.ofEpochMilli(minute * 60_000).toString();
        String to = Instant.ofEpochMilli((minute + 1) * 60_000).toString();

        given().queryParam("from", minute * 60_000).queryParam("to", (minute + 1) * 60_000)
                .get("/aggregates/timeseries").then().statusCode(200)
                .body(equalTo("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"step\":\"1m\",\"points\":["
                        + "{\"start\":\"" + from + "\",\"stats\":{\"count\":2,\"sum\":0.03,\"min\":0.01,\"max\":0.02,\"mean\":0.0150}},"
                        + "{\"start\":\"" + to + "\",\"stats\":{\"count\":0,\"sum\":0.00}}]}"));
    }

    @Test
    void ranksTheTopValuesOverAllTimeAndOverAWindow() {
        redis.command("HSET", "{events}:agg:count:product", "p1", "5", "p2", "7", "p3", "5");
        redis.command("HSET", "{events}:agg:sum:product", "p1", "100", "p2", "-5", "p3", "900");
        long now = System.currentTimeMillis() / 60_000;
        redis.command("HSET", "{events}:bin:" + (now - 1), "count:product:p1", "2", "sum:product:p1", "10",
                "count:product:p2", "1", "sum:product:p2", "99", "count:event_type:p1", "50");
        redis.command("HSET", "{events}:bin:" + (now - 90), "count:product:p3", "9", "sum:product:p3", "9");

        given().queryParam("dimension", "product").queryParam("n", "2").get("/aggregates/top").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"metric\":\"count\",\"window\":\"all\",\"entries\":["
                        + "{\"value\":\"p2\",\"count\":7,\"sum\":-0.05},{\"value\":\"p1\",\"count\":5,\"sum\":1.00}]}"));
        given().queryParam("dimension", "product").queryParam("metric", "sum").queryParam("window", "1h")
                .get("/aggregates/top").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"metric\":\"sum\",\"window\":\"1h\",\"entries\":["
                        + "{\"value\":\"p2\",\"count\":1,\"sum\":0.99},{\"value\":\"p1\",\"count\":2,\"sum\":0.10}]}"));
    }

    @Test
    void readsPercentilesOffTheMergedHistograms() {
        redis.command("HSET", "{events}:hist:product:p1", "5", "2", "50", "1", "-3", "1");
        long now = System.currentTimeMillis() / 60_000;
        redis.command("HSET", "{events}:binhist:" + now, "7", "1");
        redis.command("HSET", "{events}:binhist:" + (now - 2), "9", "3");

        given().queryParam("dimension", "product").queryParam("value", "p1").queryParam("q", "0,0.5,1")
                .get("/aggregates/percentiles").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"value\":\"p1\",\"window\":\"all\",\"count\":4,"
                        + "\"maxRelativeErrorPercent\":0.390625,\"quantiles\":["
                        + "{\"q\":0.0,\"value\":-0.03},{\"q\":0.5,\"value\":0.05},{\"q\":1.0,\"value\":0.50}]}"));
        given().queryParam("window", "15m").get("/aggregates/percentiles").then().statusCode(200)
                .body(equalTo("{\"window\":\"15m\",\"count\":4,\"maxRelativeErrorPercent\":0.390625,\"quantiles\":["
                        + "{\"q\":0.5,\"value\":0.09},{\"q\":0.95,\"value\":0.09},{\"q\":0.99,\"value\":0.09}]}"));
    }

    @Test
    void readsAllTimePercentilesOffTheHistogramsWithTheUnsettledMinutesButNotASettledOne() {
        redis.command("HSET", "{events}:hist", "10", "1");
        redis.command("HSET", "{events}:hist:product:p1", "5", "2", "50", "1");
        redis.command("ZADD", "{events}:settle:minutes", String.valueOf(UNSETTLED), String.valueOf(UNSETTLED));
        redis.command("HSET", "{events}:binhist:" + UNSETTLED, "20", "2");
        redis.command("HSET", "{events}:binhist:" + UNSETTLED + ":product:p1", "5", "1", "80", "3");
        redis.command("HSET", "{events}:binhist:" + (UNSETTLED - 1), "-3", "100");
        redis.command("HSET", "{events}:binhist:" + (UNSETTLED - 1) + ":product:p1", "-3", "100");

        given().queryParam("dimension", "product").queryParam("value", "p1").queryParam("q", "0,0.5,1")
                .get("/aggregates/percentiles").then().statusCode(200)
                .body(equalTo("{\"dimension\":\"product\",\"value\":\"p1\",\"window\":\"all\",\"count\":7,"
                        + "\"maxRelativeErrorPercent\":0.390625,\"quantiles\":["
                        + "{\"q\":0.0,\"value\":0.05},{\"q\":0.5,\"value\":0.50},{\"q\":1.0,\"value\":0.80}]}"));
        given().get("/aggregates/percentiles").then().statusCode(200)
                .body(equalTo("{\"window\":\"all\",\"count\":3,\"maxRelativeErrorPercent\":0.390625,\"quantiles\":["
                        + "{\"q\":0.5,\"value\":0.20},{\"q\":0.95,\"value\":0.20},{\"q\":0.99,\"value\":0.20}]}"));
    }

    @Test
    void countsTheUsersOfTheCurrentHourAndDay() {
        long now = System.currentTimeMillis();
        redis.command("PFADD", "{events}:uniq:hour:" + now / 3_600_000, "ann", "bob", "cy");
        redis.command("PFADD", "{events}:uniq:day:" + now / 86_400_000, "ann", "bob", "cy", "dee");

        given().get("/aggregates/uniques").then().statusCode(200).body(equalTo("{\"window\":\"1h\",\"start\":\""
                + Instant.ofEpochMilli(now / 3_600_000 * 3_600_000) + "\",\"users\":3}"));
        given().queryParam("window", "1d").get("/aggregates/uniques").then().statusCode(200).body(equalTo(
                "{\"window\":\"1d\",\"start\":\"" + Instant.ofEpochMilli(now / 86_400_000 * 86_400_000) + "\",\"users\":4}"));
    }

    @Test
    void servesASessionFromTheLastWindowOrTheOneBeforeAndSaysPreciselyWhenThereIsNone() {
        redis.command("SET", "{events}:sessions:window", "998000");
        storeSession(998000, "s-1", new SessionSummary(3, -250, 1795600000000L, 1795600060000L));
        storeSession(997999, "s-1", new SessionSummary(1, 100, 1795600000000L, 1795600000000L));
        storeSession(997999, "s-2", new SessionSummary(2, 7, 1795600000000L, 1795600001000L));
        storeSession(997998, "s-3", new SessionSummary(1, 1, 1795600000000L, 1795600000000L));

        given().get("/sessions/s-1").then().statusCode(200).body(equalTo("{\"id\":\"s-1\",\"events\":3,\"sum\":-2.50,"
                + "\"first\":\"2026-11-25T09:46:40Z\",\"last\":\"2026-11-25T09:47:40Z\"}"));
        given().get("/sessions/s-2").then().statusCode(200).body(equalTo("{\"id\":\"s-2\",\"events\":2,\"sum\":0.07,"
                + "\"first\":\"2026-11-25T09:46:40Z\",\"last\":\"2026-11-25T09:46:41Z\"}"));
        given().get("/sessions/s-3").then().statusCode(404);
        given().get("/sessions/nope").then().statusCode(404).contentType("application/problem+json")
                .body(equalTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no session "
                        + "with id 'nope': never seen, or expired after its gap without events\",\"instance\":\"/sessions/nope\"}"));
    }

    private void storeSession(long window, String id, SessionSummary summary) {
        redisson.<String, byte[]>getMap("{events}:sessions:" + window, new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE))
                .fastPut(id, summary.encode());
    }

    @Test
    void publishesItsOpenApiDocumentAndRequestDurationsByRouteAndStatus() {
        given().get("/aggregates/summary").then().statusCode(200);
        given().get("/aggregates/top").then().statusCode(400);

        given().get("/q/openapi").then().statusCode(200).body(containsString("/aggregates/timeseries"))
                .body(containsString("/events")).body(containsString("/deadletters/replay"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/aggregates/summary\"}"))
                .body(containsString("status=\"400\",uri=\"/aggregates/top\""));
    }

    @Test
    void reportsReadyWhenRedisAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
