package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A processor stopped with SIGTERM in the middle of a busy run — a batch being committed and the
 * next one read ahead — commits what it read and exits within its drain timeout, leaving nothing
 * pending under its name; a successor finishes the stream and the aggregates are exact.
 */
@RedisTest
class ShutdownIT {

    private static final int EVENTS = 200_000;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern COMMITTED = Pattern.compile("processor_events_total\\{[^}]*outcome=\"committed\"[^}]*} ([0-9.E]+)");

    @Test
    void processorStoppedWhileBusyCommitsWhatItReadAndLeavesNothingPending(RedisServer server) throws Exception {
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        int port = FreePort.pick();
        int successorPort = FreePort.pick();
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             StreamAudit audit = StreamAudit.begin(server.uri());
             ServiceProcess stopping = ServiceProcess.start("stopping", "processor", ServiceProcess.with(common,
                     "quarkus.http.port", port, "streamfold.consumer.name", "stopping",
                     "streamfold.consumer.drain-timeout", DRAIN_TIMEOUT.toSeconds() + "s"));
             ServiceProcess producer = ServiceProcess.start("shutdown-producer", "producer", ServiceProcess.with(common,
                     "streamfold.producer.count", EVENTS, "streamfold.producer.rate", 20_000, "streamfold.producer.seed", 77))) {
            RedisCommands<String, String> redis = connection.sync();
            stopping.awaitReady(port, STARTUP);
            await("processor busy").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> committed(port) > 20_000);

            long started = System.nanoTime();
            stopping.terminate(DRAIN_TIMEOUT.plusSeconds(5));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("time to exit after SIGTERM").isLessThan(DRAIN_TIMEOUT.plusSeconds(5));
            assertThat(redis.xpending("{events}", Consumer.from("aggregators", "stopping"), Range.unbounded(), Limit.from(10)))
                    .as("entries left pending by the stopped processor").isEmpty();
            assertThat(producer.awaitExit(Duration.ofMinutes(1))).as("producer exit code").isZero();

            try (ServiceProcess successor = ServiceProcess.start("successor", "processor", ServiceProcess.with(common,
                    "quarkus.http.port", successorPort, "streamfold.consumer.name", "successor"))) {
                successor.awaitReady(successorPort, STARTUP);
                await("group drained").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> StreamContents.drained(redis));
            }
            StreamContents contents = StreamContents.read(server.uri(), audit, Set.of());
            assertThat(contents.expected().count()).isEqualTo(EVENTS);
            StreamContents.assertAggregatesEqual(redis, contents.expected());
        } finally {
            client.shutdown();
        }
    }

    private static long committed(int port) {
        Matcher m = COMMITTED.matcher(ServiceProcess.get(port, "/q/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
