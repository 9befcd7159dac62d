package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The whole fleet as a user runs it: Redis, the packaged producer, two processors and the API, each
 * its own process. The API's aggregates must equal those computed here, independently, from the
 * entries that are in the stream.
 */
@RedisTest
class FleetIT {

    private static final int EVENTS = 100_000;
    private static final List<String> DIMENSIONS = List.of("event_type", "product");
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern AGGREGATED = Pattern.compile("processor_events_total\\{[^}]*outcome=\"committed\"[^}]*} ([0-9.E]+)");

    @Test
    void twoProcessorsAggregateOneHundredThousandProducedEventsExactly(RedisServer redis) throws Exception {
        Map<String, String> common = Map.of("streamfold.redis.url", redis.uri());
        int apiPort = FreePort.pick();
        int firstPort = FreePort.pick();
        int secondPort = FreePort.pick();

        try (StreamAudit audit = StreamAudit.begin(redis.uri());
             ServiceProcess first = ServiceProcess.start("processor-1", "processor",
                    ServiceProcess.with(common, "quarkus.http.port", firstPort, "streamfold.consumer.name", "processor-1"));
             ServiceProcess second = ServiceProcess.start("processor-2", "processor",
                    ServiceProcess.with(common, "quarkus.http.port", secondPort, "streamfold.consumer.name", "processor-2"));
             ServiceProcess api = ServiceProcess.start("api", "api", ServiceProcess.with(common, "quarkus.http.port", apiPort))) {
            first.awaitReady(firstPort, STARTUP);
            second.awaitReady(secondPort, STARTUP);
            api.awaitReady(apiPort, STARTUP);

            try (ServiceProcess producer = ServiceProcess.start("producer", "producer", ServiceProcess.with(common,
                    "streamfold.producer.count", EVENTS, "streamfold.producer.rate", 0, "streamfold.producer.seed", 20261125))) {
                assertThat(producer.awaitExit(Duration.ofMinutes(3))).as("producer exit code").isZero();
            }

            await("API totals reach " + EVENTS).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> summary(apiPort).path("totals").path("count").asLong() >= EVENTS);

            StreamContents contents = StreamContents.read(redis.uri(), audit, Set.of());
            assertThat(contents.deadLetters()).as("dead letters").isEmpty();
            ExpectedAggregates expected = contents.expected();
            assertThat(expected.count()).isEqualTo(EVENTS);
            JsonNode summary = summary(apiPort);
            assertThat(summary.path("totals").path("count").asLong()).isEqualTo(EVENTS);
            assertThat(summary.path("totals").path("sum").decimalValue()).isEqualByComparingTo(expected.sum());
            for (String dimension : DIMENSIONS) {
                Map<String, Long> counts = new TreeMap<>();
                Map<String, BigDecimal> sums = new TreeMap<>();
                for (JsonNode cell : summary.path("dimensions").path(dimension)) {
                    counts.put(cell.path("value").asText(), cell.path("count").asLong());
                    sums.put(cell.path("value").asText(), cents(cell.path("sum").decimalValue()));
                }
                assertThat(counts).as("counts by %s", dimension).isEqualTo(expected.countsBy(dimension));
                Map<String, BigDecimal> expectedSums = new TreeMap<>();
                expected.sumsBy(dimension).forEach((value, sum) -> expectedSums.put(value, cents(sum)));
                assertThat(sums).as("sums by %s", dimension).isEqualTo(expectedSums);
            }
            assertThat(aggregatedBy(firstPort)).as("events aggregated by processor-1").isPositive();
            assertThat(aggregatedBy(secondPort)).as("events aggregated by processor-2").isPositive();
            assertThat(aggregatedBy(firstPort) + aggregatedBy(secondPort)).isEqualTo(EVENTS);
        }
    }

    /** Two decimals; fails rather than rounds if there were more. */
    private static BigDecimal cents(BigDecimal value) {
        return value.setScale(2);
    }

    private static JsonNode summary(int apiPort) throws Exception {
        return JSON.readTree(ServiceProcess.get(apiPort, "/aggregates/summary").body());
    }

    private static long aggregatedBy(int port) {
        Matcher matcher = AGGREGATED.matcher(ServiceProcess.get(port, "/q/metrics").body());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

}
