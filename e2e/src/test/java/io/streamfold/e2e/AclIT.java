package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The processor, the producer and the API, each connected as the least-privilege ACL user
 * {@code docs/operations.md} documents (the {@code ACL SETUSER} lines are read from that file itself), do all
 * their work and Redis denies them nothing ({@code ACL LOG} stays empty): the processor aggregates exactly and
 * removes a dead consumer under the Redisson lock; the API accepts events (rate-limited, idempotent), serves
 * every read endpoint and replays a dead letter.
 */
@RedisTest
class AclIT {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final Path ACL_DOCS = Path.of(System.getProperty("streamfold.root", ".."), "docs", "operations.md");
    private static final String PASSWORD = "acl-test-password-0123456789";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final RedisServer server;

    AclIT(RedisServer server) {
        this.server = server;
    }

    @Test
    void aProcessorAndAProducerWithOnlyTheDocumentedPermissionsAggregateExactlyAndAreDeniedNothing() throws Exception {
        server.command("FLUSHALL");
        server.command("ACL", "LOG", "RESET");
        createUser("streamfold-processor");
        createUser("streamfold-producer");

        int port = FreePort.pick();
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        int stalePort = FreePort.pick();
        try (ServiceProcess stale = ServiceProcess.start("acl-stale", "processor", ServiceProcess.with(common,
                "quarkus.http.port", stalePort, "streamfold.consumer.name", "acl-stale"))) {
            stale.awaitReady(stalePort, STARTUP); // leaves a consumer behind, for the cleanup to remove
        }
        try (StreamAudit audit = StreamAudit.begin(server.uri());
             ServiceProcess processor = ServiceProcess.start("acl-processor", "processor", ServiceProcess.with(common,
                "quarkus.http.port", port, "streamfold.consumer.name", "acl-processor",
                "streamfold.redis.username", "streamfold-processor", "streamfold.redis.password", PASSWORD,
                "streamfold.consumer.cleanup-interval", "1s", "streamfold.consumer.cleanup-idle", "3s",
                "streamfold.consumer.reclaim-interval", "500ms")).awaitReady(port, STARTUP);
             ServiceProcess producer = ServiceProcess.start("acl-producer", "producer", ServiceProcess.with(common,
                     "streamfold.producer.count", 20_000, "streamfold.producer.rate", 10_000,
                     "streamfold.redis.username", "streamfold-producer", "streamfold.redis.password", PASSWORD))) {
            assertThat(producer.awaitExit(Duration.ofMinutes(2))).isZero();
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                await("group drained").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> StreamContents.drained(redis));
                StreamContents.assertAggregatesEqual(redis, StreamContents.read(server.uri(), audit, Set.of()).expected());
                await("the stream trimmed of what every group acknowledged").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500)).until(() -> redis.xlen(KEYS.stream()) < 200);
                await("the stale consumer removed under the lock").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> redis.xinfoConsumers(KEYS.stream(), KEYS.group()).size() == 1);
                assertThat(ServiceProcess.get(port, "/q/health/ready").statusCode()).isEqualTo(200);
                assertThat(ServiceProcess.get(port, "/q/metrics").statusCode()).isEqualTo(200);
                assertThat(aclLog(redis)).as("commands Redis denied the processor or the producer").isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void anApiWithOnlyTheDocumentedPermissionsServesEveryEndpointAndIsDeniedNothing() throws Exception {
        server.command("FLUSHALL");
        server.command("ACL", "LOG", "RESET");
        createUser("streamfold-api");
        String key = "acl-test-api-key-0123456789";
        int processorPort = FreePort.pick();
        int apiPort = FreePort.pick();
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        long now = System.currentTimeMillis();
        String event = "{\"event_id\":\"e-%d\",\"user_id\":\"u-%d\",\"session_id\":\"s-1\",\"event_type\":\"view\","
                + "\"product\":\"p-1\",\"value\":\"%s\",\"ts\":\"" + now + "\"}";
        String events = "[" + String.format(event, 1, 1, "1.50") + "," + String.format(event, 2, 2, "2.25") + "]";
        try (ServiceProcess processor = ServiceProcess.start("acl-api-processor", "processor", ServiceProcess.with(common,
                "quarkus.http.port", processorPort, "streamfold.consumer.name", "acl-api-processor")).awaitReady(processorPort, STARTUP);
             ServiceProcess api = ServiceProcess.start("acl-api", "api", ServiceProcess.with(common,
                     "quarkus.http.port", apiPort, "streamfold.access.keys.acl", key,
                     "streamfold.redis.username", "streamfold-api", "streamfold.redis.password", PASSWORD))
                     .awaitReady(apiPort, STARTUP)) {
            assertThat(post(apiPort, key, "/events", events, "acl-once").statusCode()).isEqualTo(202);
            assertThat(post(apiPort, key, "/events", events, "acl-once").headers().firstValue("Idempotent-Replayed"))
                    .hasValue("true");
            server.command("XADD", KEYS.stream(), "*", "event_id", "bad", "value", "not-a-number");
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                await("two events counted and one dead letter").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> StreamContents.drained(redis)
                                && "2".equals(new AllTimeReads(redis, KEYS).totals().get(KeyLayout.COUNT)) && redis.xlen(KEYS.deadLetters()) == 1);
                String deadLetter = redis.xrange(KEYS.deadLetters(), Range.create("-", "+")).get(0).getId();
                for (String path : List.of("/aggregates", "/aggregates/summary",
                        "/aggregates/timeseries?dimension=product&value=p-1&from=" + (now - 3_600_000) + "&to=" + now,
                        "/aggregates/top?dimension=product", "/aggregates/percentiles?dimension=product&value=p-1",
                        "/aggregates/uniques", "/aggregates/uniques?window=1d", "/sessions/s-1", "/stream",
                        "/deadletters", "/q/health/ready", "/q/metrics")) {
                    HttpResponse<String> response = ServiceProcess.get(apiPort, path);
                    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
                }
                assertThat(post(apiPort, key, "/deadletters/replay", "{\"ids\":[\"" + deadLetter + "\"]}", null)
                        .statusCode()).isEqualTo(202);
                assertThat(aclLog(redis)).as("commands Redis denied the API").isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }

    /** Creates {@code user} from the {@code ACL SETUSER <user> ...} line of the docs, with this test's password. */
    private void createUser(String user) throws Exception {
        List<String> rule = null;
        for (String line : Files.readAllLines(ACL_DOCS)) {
            if (line.startsWith("ACL SETUSER " + user + " ")) {
                rule = new ArrayList<>(List.of(line.trim().split("\\s+")));
            }
        }
        assertThat(rule).as("an 'ACL SETUSER %s' line in %s", user, ACL_DOCS).isNotNull();
        rule.replaceAll(word -> word.startsWith(">") ? ">" + PASSWORD : word);
        assertThat(server.command(rule.toArray(String[]::new))).isEqualTo("+OK");
    }

    private static HttpResponse<String> post(int port, String key, String path, String body, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Object> aclLog(RedisCommands<String, String> redis) {
        StringCodec codec = StringCodec.UTF8;
        return redis.dispatch(CommandType.ACL, new NestedMultiOutput<>(codec), new CommandArgs<>(codec).add("LOG"));
    }
}
