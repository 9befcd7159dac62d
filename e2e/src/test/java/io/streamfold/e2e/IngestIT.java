package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Ingestion as a client does it: events POSTed to the packaged API in arrays, aggregated by two
 * packaged processors, read back through the API. The all-time aggregates and the minute series of
 * one event type must equal those computed here, with BigDecimal, from the events the API accepted:
 * a retried request with the same {@code Idempotency-Key} counts once, and an array holding one
 * invalid event is refused whole.
 */
@RedisTest
class IngestIT {

    private static final int EVENTS = 20_000;
    private static final int PER_REQUEST = 500;
    private static final List<String> DIMENSIONS = List.of("event_type", "product");
    private static final String TYPE = "purchase";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void eventsPostedOverHttpAreAggregatedExactlyOnceAndReadBackExactly(RedisServer redis) throws Exception {
        long now = System.currentTimeMillis();
        RandomEvents random = new RandomEvents(20261125, 20, now);
        List<Map<String, String>> accepted = random.next(EVENTS);
        List<Map<String, String>> refused = random.next(PER_REQUEST);
        refused.get(137).put("value", "1.234");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String key = HexFormat.of().formatHex(secret);
        Map<String, String> common = Map.of("streamfold.redis.url", redis.uri());
        int apiPort = FreePort.pick();
        int firstPort = FreePort.pick();
        int secondPort = FreePort.pick();
        RedisClient client = RedisClient.create(redis.uri());

        try (StatefulRedisConnection<String, String> connection = client.connect();
             StreamAudit audit = StreamAudit.begin(redis.uri());
             ServiceProcess first = ServiceProcess.start("ingest-processor-1", "processor",
                    ServiceProcess.with(common, "quarkus.http.port", firstPort, "streamfold.consumer.name", "processor-1"));
             ServiceProcess second = ServiceProcess.start("ingest-processor-2", "processor",
                    ServiceProcess.with(common, "quarkus.http.port", secondPort, "streamfold.consumer.name", "processor-2"));
             ServiceProcess api = ServiceProcess.start("ingest-api", "api",
                    ServiceProcess.with(common, "quarkus.http.port", apiPort, "streamfold.access.keys.e2e", key))) {
            first.awaitReady(firstPort, STARTUP);
            second.awaitReady(secondPort, STARTUP);
            api.awaitReady(apiPort, STARTUP);
            Api http = new Api(apiPort, key);

            Set<String> ids = new HashSet<>();
            String idempotencyKey = "ingest-it-" + UUID.randomUUID();
            List<String> firstIds = null;
            for (int from = 0; from < EVENTS; from += PER_REQUEST) {
                // Every other request carries the values as JSON numbers rather than strings.
                byte[] body = body(accepted.subList(from, from + PER_REQUEST), from / PER_REQUEST % 2 == 1);
                HttpResponse<String> response = http.post(body, from == 0 ? idempotencyKey : null);
                assertThat(response.statusCode()).as("status of request %d: %s", from / PER_REQUEST, response.body())
                        .isEqualTo(202);
                assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
                List<String> answered = ids(response);
                assertThat(answered).hasSize(PER_REQUEST);
                ids.addAll(answered);
                firstIds = firstIds == null ? answered : firstIds;
            }
            assertThat(ids).as("distinct entry ids").hasSize(EVENTS);

            HttpResponse<String> replayed = http.post(body(accepted.subList(0, PER_REQUEST), false), idempotencyKey);
            assertThat(replayed.statusCode()).as("status of the retried request: %s", replayed.body()).isEqualTo(202);
            assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(ids(replayed)).isEqualTo(firstIds);

            HttpResponse<String> invalid = http.post(body(refused, false), null);
            assertThat(invalid.statusCode()).as("status of the request with an invalid event").isEqualTo(400);
            assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(invalid.body());
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.path("detail").asText()).isEqualTo("1 of " + PER_REQUEST + " events are invalid, so none was"
                    + " accepted; event 137: field 'value' has 3 decimals; at most 2 are allowed: '1.234'");
            assertThat(problem.path("errors")).hasSize(1);
            assertThat(problem.path("errors").get(0).path("index").asInt()).isEqualTo(137);
            assertThat(problem.path("errors").get(0).path("reason").asText()).isEqualTo("too_many_decimals");
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("value");

            RedisCommands<String, String> commands = connection.sync();
            await("group drained and API totals at " + EVENTS).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(StreamContents.drained(commands)).as("group drained").isTrue();
                        assertThat(http.get("/aggregates").path("totals").path("count").asLong()).as("API totals count")
                                .isEqualTo(EVENTS);
                    });
            audit.catchUp();
            assertThat(audit.entries()).as("entries appended to the stream").hasSize(EVENTS);
            assertThat(commands.xlen(StreamContents.STREAM + ":dlq")).as("dead letters").isZero();

            ExpectedAggregates totals = new ExpectedAggregates(List.of());
            Map<String, Map<String, ExpectedAggregates>> cells = new TreeMap<>();
            Map<Long, ExpectedAggregates> minutes = new TreeMap<>();
            for (Map<String, String> event : accepted) {
                totals.add(event);
                for (String dimension : DIMENSIONS) {
                    cells.computeIfAbsent(dimension, d -> new TreeMap<>())
                            .computeIfAbsent(event.get(dimension), v -> new ExpectedAggregates(List.of())).add(event);
                }
                if (event.get("event_type").equals(TYPE)) {
                    long minute = Math.floorDiv(Long.parseLong(event.get("ts")), 60_000L);
                    minutes.computeIfAbsent(minute, m -> new ExpectedAggregates(List.of())).add(event);
                }
            }

            JsonNode aggregates = http.get("/aggregates");
            assertThat(fieldNames(aggregates)).containsExactly("totals", "dimensions");
            assertThat(actual(aggregates.path("totals"))).as("totals").isEqualTo(expected(totals));
            assertThat(fieldNames(aggregates.path("dimensions"))).containsExactlyElementsOf(DIMENSIONS);
            for (String dimension : DIMENSIONS) {
                List<Cell> want = new ArrayList<>();
                cells.get(dimension).forEach((value, cell) -> want.add(new Cell(value, expected(cell))));
                want.sort(Comparator.comparingLong((Cell cell) -> Long.parseLong(cell.stats().get("count"))).reversed()
                        .thenComparing(Cell::value));
                List<Cell> got = new ArrayList<>();
                for (JsonNode cell : aggregates.path("dimensions").path(dimension)) {
                    assertThat(fieldNames(cell)).containsExactly("value", "stats");
                    got.add(new Cell(cell.path("value").asText(), actual(cell.path("stats"))));
                }
                assertThat(got).as("cells of %s, most frequent first", dimension).isEqualTo(want);
            }

            long hourAgo = now - Duration.ofHours(1).toMillis();
            JsonNode series = http.get("/aggregates/timeseries?dimension=event_type&value=" + TYPE
                    + "&from=" + hourAgo + "&to=" + now + "&step=1m");
            assertThat(series.path("dimension").asText()).isEqualTo("event_type");
            assertThat(series.path("value").asText()).isEqualTo(TYPE);
            assertThat(series.path("step").asText()).isEqualTo("1m");
            long firstMinute = Math.floorDiv(hourAgo, 60_000L);
            long lastMinute = Math.floorDiv(now, 60_000L);
            assertThat(minutes.keySet()).as("minutes with purchases").hasSizeGreaterThan(55)
                    .allMatch(minute -> minute >= firstMinute && minute <= lastMinute);
            JsonNode points = series.path("points");
            assertThat(points).hasSize((int) (lastMinute - firstMinute + 1));
            for (int p = 0; p < points.size(); p++) {
                long minute = firstMinute + p;
                JsonNode point = points.get(p);
                assertThat(point.path("start").asText()).isEqualTo(Instant.ofEpochMilli(minute * 60_000L).toString());
                assertThat(actual(point.path("stats"))).as("minute %d of %s", minute, TYPE)
                        .isEqualTo(expected(minutes.getOrDefault(minute, new ExpectedAggregates(List.of()))));
            }
        } finally {
            client.shutdown();
        }
    }

    /** A JSON array of the events; {@code ts} as a number, {@code value} as a string or, where asked, a number. */
    private static byte[] body(List<Map<String, String>> events, boolean valuesAsNumbers) throws Exception {
        List<Map<String, Object>> objects = new ArrayList<>(events.size());
        for (Map<String, String> event : events) {
            Map<String, Object> object = new LinkedHashMap<>(event);
            object.put("ts", Long.parseLong(event.get("ts")));
            if (valuesAsNumbers) {
                object.put("value", new BigDecimal(event.get("value")));
            }
            objects.add(object);
        }
        return JSON.writeValueAsBytes(objects);
    }

    private static List<String> ids(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("ids");
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(id -> ids.add(id.textValue()));
        return ids;
    }

    /**
     * The statistics the API must answer for {@code events}: count, and sum, min, max with two
     * decimals, mean with four (half-even); min, max and mean absent when there were none.
     */
    private static Map<String, String> expected(ExpectedAggregates events) {
        Map<String, String> stats = new TreeMap<>();
        events.totalsInUnits(2).forEach((stat, value) -> stats.put(stat,
                stat.equals("count") ? value : new BigDecimal(new BigInteger(value), 2).toPlainString()));
        if (events.count() > 0) {
            stats.put("mean", events.sum().divide(BigDecimal.valueOf(events.count()), 4, RoundingMode.HALF_EVEN)
                    .toPlainString());
        }
        return stats;
    }

    /** Every field of a stats object as the API answered it; decimals normalised, failing if one has more digits than allowed. */
    private static Map<String, String> actual(JsonNode stats) {
        Map<String, String> fields = new TreeMap<>();
        for (String name : fieldNames(stats)) {
            JsonNode value = stats.get(name);
            fields.put(name, switch (name) {
                case "count" -> String.valueOf(value.longValue());
                case "mean" -> value.decimalValue().setScale(4).toPlainString();
                default -> value.decimalValue().setScale(2).toPlainString();
            });
        }
        return fields;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** One dimension value and its statistics, normalised as by {@link #expected} and {@link #actual}. */
    private record Cell(String value, Map<String, String> stats) {
    }

    /** The API over HTTP, with the test's key (kept out of {@code toString}). */
    private static final class Api {

        private final int port;
        private final String key;

        Api(int port, String key) {
            this.port = port;
            this.key = key;
        }

        HttpResponse<String> post(byte[] body, String idempotencyKey) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                    .timeout(Duration.ofSeconds(10)).header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> response = ServiceProcess.get(port, path);
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
    }
}
