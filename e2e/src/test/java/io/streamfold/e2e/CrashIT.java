package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Processors are killed (SIGKILL) and restarted every two seconds for the whole run, while the
 * producer writes and malformed entries arrive and the processors trim the stream of what was
 * acknowledged (the test's audit group reads along, so trimming goes on). The aggregates must still
 * be exact, nothing left pending, and the dead-letter stream must hold each malformed entry exactly once.
 */
@RedisTest
class CrashIT {

    private static final int EVENTS = 300_000;
    private static final int MALFORMED = 1_500;
    private static final int PROCESSORS = 3;
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @Test
    void processorsKilledEveryTwoSecondsStillAggregateEveryEventExactlyOnce(RedisServer server) throws Exception {
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        Map<String, String> processorSettings = ServiceProcess.with(common,
                "streamfold.consumer.reclaim-min-idle", "3s", "streamfold.consumer.reclaim-interval", "1s");
        int[] ports = new int[PROCESSORS];
        List<ServiceProcess> processors = new ArrayList<>();
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
                StreamAudit audit = StreamAudit.begin(server.uri())) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < PROCESSORS; i++) {
                ports[i] = FreePort.pick();
                processors.add(startProcessor(processorSettings, i, ports[i]).awaitReady(ports[i], STARTUP));
            }

            Set<String> malformedIds = new HashSet<>();
            CompletableFuture<Void> malformed = CompletableFuture.runAsync(() -> writeMalformed(server.uri(), malformedIds));
            Random random = new Random(7);
            int kills = 0;
            try (ServiceProcess producer = ServiceProcess.start("crash-producer", "producer", ServiceProcess.with(common,
                    "streamfold.producer.count", EVENTS, "streamfold.producer.rate", 20_000, "streamfold.producer.seed", 300))) {
                long killUntil = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while (System.nanoTime() < killUntil && !(producer.exited() && malformed.isDone() && StreamContents.drained(redis))) {
                    await().pollDelay(Duration.ofMillis(1_500 + random.nextInt(1_000))).until(() -> true);
                    int victim = random.nextInt(PROCESSORS);
                    processors.get(victim).kill();
                    processors.set(victim, startProcessor(processorSettings, victim, ports[victim]));
                    kills++;
                    audit.catchUp();
                }
                assertThat(producer.awaitExit(Duration.ofSeconds(10))).as("producer exit code").isZero();
            }
            malformed.join();
            for (int i = 0; i < PROCESSORS; i++) {
                processors.get(i).awaitReady(ports[i], STARTUP);
            }
            await("group drained").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> StreamContents.drained(redis));

            assertThat(kills).as("processors killed").isGreaterThanOrEqualTo(5);
            assertThat(StreamContents.lag(redis)).as("group lag").isZero();
            StreamContents contents = StreamContents.read(server.uri(), audit, malformedIds);
            await("stream trimmed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> redis.xlen(StreamContents.STREAM) < (EVENTS + MALFORMED) / 100);
            ExpectedAggregates expected = contents.expected();
            assertThat(expected.count()).isEqualTo(EVENTS);
            StreamContents.assertAggregatesEqual(redis, expected);
            assertThat(contents.deadLetters()).extracting(letter -> letter.get("event_id"))
                    .as("dead letters: each malformed entry exactly once").containsExactlyInAnyOrderElementsOf(malformedIds);
        } finally {
            processors.forEach(ServiceProcess::close);
            client.shutdown();
        }
    }

    private static ServiceProcess startProcessor(Map<String, String> common, int index, int port) {
        return ServiceProcess.start("crash-processor-" + index, "processor",
                ServiceProcess.with(common, "quarkus.http.port", port, "streamfold.consumer.name", "processor-" + index));
    }

    /** Malformed entries of several kinds, interleaved with the producer's. */
    private static void writeMalformed(String uri, Set<String> ids) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < MALFORMED; i++) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("event_id", "bad-" + i);
                fields.put("user_id", "u");
                fields.put("event_type", "purchase");
                fields.put("product", "product-1");
                fields.put("session_id", "s");
                switch (i % 3) {
                    case 0 -> fields.put("value", "twelve");
                    case 1 -> fields.put("value", "1.234");
                    default -> fields.put("value", "5.00");
                }
                if (i % 3 != 2) {
                    fields.put("ts", String.valueOf(System.currentTimeMillis()));
                }
                connection.sync().xadd(StreamContents.STREAM, fields);
                synchronized (ids) {
                    ids.add("bad-" + i);
                }
                await().pollDelay(Duration.ofMillis(8)).until(() -> true);
            }
        } finally {
            client.shutdown();
        }
    }

}
