package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis crashes (SIGKILL; AOF with fsync always) in the middle of a run and comes back: meanwhile
 * the processors report not ready; then they reconnect by themselves and the aggregates stay exact.
 */
@RedisTest(appendOnly = true)
class FaultIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final RedisServer server;
    private final Map<String, String> common;
    private final Map<String, String> processorSettings;

    FaultIT(RedisServer server) {
        this.server = server;
        this.common = Map.of("streamfold.redis.url", server.uri());
        this.processorSettings = ServiceProcess.with(common,
                "streamfold.consumer.reclaim-min-idle", "2s", "streamfold.consumer.reclaim-interval", "500ms");
    }

    @BeforeEach
    void emptyRedis() {
        server.command("FLUSHALL");
    }

    @Test
    void processorsReconnectByThemselvesWhenRedisRestartsMidRun() throws Exception {
        int firstPort = FreePort.pick();
        try (StreamAudit audit = StreamAudit.begin(server.uri());
             ServiceProcess first = processor("restart-1", firstPort);
             ServiceProcess second = processor("restart-2", FreePort.pick())) {
            try (ServiceProcess producer = producer(60_000, 10_000)) {
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
                server.kill();
                await("processor not ready while Redis is down").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(200)).until(() -> ready(firstPort) == 503);
                server.start();
                await("processor ready again").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> ready(firstPort) == 200);
                assertThat(producer.awaitExit(Duration.ofMinutes(2))).isZero();
            }

            assertExactWhenDrained(audit);
        }
    }

    private static int ready(int port) {
        return ServiceProcess.get(port, "/q/health/ready").statusCode();
    }

    private ServiceProcess processor(String name, int port) {
        return ServiceProcess.start(name, "processor", ServiceProcess.with(processorSettings,
                "quarkus.http.port", port, "streamfold.consumer.name", name)).awaitReady(port, STARTUP);
    }

    private ServiceProcess producer(int count, int rate) {
        return ServiceProcess.start("fault-producer", "producer", ServiceProcess.with(common,
                "streamfold.producer.count", count, "streamfold.producer.rate", rate));
    }

    private void assertExactWhenDrained(StreamAudit audit) {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            await("group drained").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> StreamContents.drained(redis));
            StreamContents contents = StreamContents.read(server.uri(), audit, Set.of());
            assertThat(contents.expected().count()).isGreaterThanOrEqualTo(60_000);
            assertThat(contents.deadLetters()).isEmpty();
            StreamContents.assertAggregatesEqual(redis, contents.expected());
        } finally {
            client.shutdown();
        }
    }
}
