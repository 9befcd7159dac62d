package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A processor connected as the least-privilege ACL user the README documents (the {@code ACL SETUSER} line is
 * read from the README itself) aggregates exactly, removes a dead consumer under the Redisson lock, reports
 * ready, serves its metrics, and Redis denies it nothing ({@code ACL LOG} stays empty).
 */
@RedisTest
class AclIT {

    private static final Path README = Path.of(System.getProperty("streamfold.root", ".."), "README.md");
    private static final String PASSWORD = "acl-test-password-0123456789";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final RedisServer server;

    AclIT(RedisServer server) {
        this.server = server;
    }

    @Test
    void aProcessorWithOnlyTheDocumentedPermissionsAggregatesExactlyAndIsDeniedNothing() throws Exception {
        server.command("FLUSHALL");
        server.command("ACL", "LOG", "RESET");
        List<String> rule = processorRule();
        rule.replaceAll(word -> word.startsWith(">") ? ">" + PASSWORD : word);
        assertThat(server.command(rule.toArray(String[]::new))).isEqualTo("+OK");

        int port = FreePort.pick();
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        int stalePort = FreePort.pick();
        try (ServiceProcess stale = ServiceProcess.start("acl-stale", "processor", ServiceProcess.with(common,
                "quarkus.http.port", stalePort, "streamfold.consumer.name", "acl-stale"))) {
            stale.awaitReady(stalePort, STARTUP); // leaves a consumer behind, for the cleanup to remove
        }
        try (ServiceProcess processor = ServiceProcess.start("acl-processor", "processor", ServiceProcess.with(common,
                "quarkus.http.port", port, "streamfold.consumer.name", "acl-processor",
                "streamfold.redis.username", "streamfold-processor", "streamfold.redis.password", PASSWORD,
                "streamfold.consumer.cleanup-interval", "1s", "streamfold.consumer.cleanup-idle", "3s",
                "streamfold.consumer.reclaim-interval", "500ms")).awaitReady(port, STARTUP);
             ServiceProcess producer = ServiceProcess.start("acl-producer", "producer", ServiceProcess.with(common,
                     "streamfold.producer.count", 20_000, "streamfold.producer.rate", 10_000))) {
            assertThat(producer.awaitExit(Duration.ofMinutes(2))).isZero();
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                await("group drained").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> StreamContents.drained(redis));
                StreamContents.assertAggregatesEqual(redis, StreamContents.read(server.uri(), Set.of()).expected());
                await("the stale consumer removed under the lock").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> redis.xinfoConsumers(StreamContents.STREAM, "aggregators").size() == 1);
                assertThat(ServiceProcess.get(port, "/q/health/ready").statusCode()).isEqualTo(200);
                assertThat(ServiceProcess.get(port, "/q/metrics").statusCode()).isEqualTo(200);
                assertThat(aclLog(redis)).as("commands Redis denied the processor").isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }

    /** The README's {@code ACL SETUSER streamfold-processor ...} line, word by word. */
    private static List<String> processorRule() throws Exception {
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("ACL SETUSER streamfold-processor ")) {
                return new ArrayList<>(List.of(line.trim().split("\\s+")));
            }
        }
        throw new IllegalStateException("no 'ACL SETUSER streamfold-processor' line in " + README);
    }

    private static List<Object> aclLog(RedisCommands<String, String> redis) {
        StringCodec codec = StringCodec.UTF8;
        return redis.dispatch(CommandType.ACL, new NestedMultiOutput<>(codec), new CommandArgs<>(codec).add("LOG"));
    }
}
