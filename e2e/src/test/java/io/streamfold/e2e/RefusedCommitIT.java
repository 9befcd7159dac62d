package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two processors, and Redis refusing their commits (a minute's bin edited by hand into a non-integer) for many times
 * the reclaim min-idle time: neither takes the other's entries over, so no delivery is counted and no valid event is
 * dead-lettered (the processors used to pass the batch back and forth until max-deliveries sent it to the dead-letter
 * stream); the refusal shows in readiness and a gauge; once mended, every event produced counts once.
 */
@RedisTest
class RefusedCommitIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final KeyLayout KEYS = KeyLayout.defaults();

    private final RedisServer server;

    RefusedCommitIT(RedisServer server) {
        this.server = server;
    }

    @Test
    void aCommitRefusedForLongKeepsItsEntriesWithOneProcessorAndAppliesThemOnceWhenMended() throws Exception {
        server.command("FLUSHALL");
        int firstPort = FreePort.pick();
        int secondPort = FreePort.pick();
        Map<String, String> settings = Map.of("streamfold.redis.url", server.uri(),
                "streamfold.consumer.reclaim-min-idle", "1s", "streamfold.consumer.reclaim-interval", "200ms",
                "streamfold.consumer.max-deliveries", "2", "streamfold.consumer.batch-size", "50");
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             ServiceProcess first = processor("refused-1", firstPort, settings);
             ServiceProcess second = processor("refused-2", secondPort, settings)) {
            RedisCommands<String, String> redis = connection.sync();
            long now = System.currentTimeMillis();
            long minute = Math.floorDiv(now, 60_000L);
            redis.hset(KEYS.minuteBin(minute), "count", "edited by hand");
            ExpectedAggregates expected = new ExpectedAggregates(List.of("event_type", "product"));
            for (int i = 0; i < 200; i++) {
                Map<String, String> event = Map.of("event_id", "e" + i, "user_id", "u" + i % 17, "session_id", "s" + i % 5,
                        "event_type", i % 3 == 0 ? "purchase" : "view", "product", "p" + i % 7,
                        "value", (i % 11) + "." + (i % 10) + "5", "ts", String.valueOf(now));
                redis.xadd(KEYS.stream(), event);
                expected.add(event);
            }

            await("both processors refused").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> refusedOn(firstPort) && refusedOn(secondPort));
            Map<String, String> owners = owners(redis);
            assertThat(owners.values()).as("each holds a refused batch").contains("refused-1", "refused-2");
            // Eight times the min-idle time, past max-deliveries (2) for entries passed back and forth.
            await("entries kept where they are").during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> redis.xlen(KEYS.deadLetters()) == 0 && owners(redis).equals(owners)
                            && pending(redis).stream().allMatch(entry -> entry.getRedeliveryCount() == 1));

            redis.hdel(KEYS.minuteBin(minute), "count");
            await("drained").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> StreamContents.drained(redis));

            StreamContents.assertAggregatesEqual(redis, expected);
            assertThat(redis.xlen(KEYS.deadLetters())).isZero();
            assertThat(ServiceProcess.get(firstPort, "/q/health/ready").statusCode()).isEqualTo(200);
            assertThat(ServiceProcess.get(secondPort, "/q/health/ready").statusCode()).isEqualTo(200);
        } finally {
            client.shutdown();
        }
    }

    private static List<PendingMessage> pending(RedisCommands<String, String> redis) {
        return redis.xpending(KEYS.stream(), KEYS.group(), Range.create("-", "+"), Limit.from(1_000));
    }

    /** Each pending entry's consumer. */
    private static Map<String, String> owners(RedisCommands<String, String> redis) {
        Map<String, String> owners = new TreeMap<>();
        pending(redis).forEach(entry -> owners.put(entry.getId(), entry.getConsumer()));
        return owners;
    }

    /** Whether the processor says, in its readiness and its gauge, that Redis refuses its commit, and why. */
    private static boolean refusedOn(int port) {
        HttpResponse<String> ready = ServiceProcess.get(port, "/q/health/ready");
        return ready.statusCode() == 503 && ready.body().contains("Redis refuses the commit")
                && ready.body().contains("field count: hash value is not an integer")
                && ServiceProcess.get(port, "/q/metrics").body().contains("processor_commit_refused 1.0");
    }

    private static ServiceProcess processor(String name, int port, Map<String, String> settings) {
        return ServiceProcess.start(name, "processor", ServiceProcess.with(settings, "quarkus.http.port", port,
                "streamfold.consumer.name", name)).awaitReady(port, STARTUP);
    }
}
