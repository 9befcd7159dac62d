package io.streamfold.processor.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.LettuceSession;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

@RedisTest
class IdleConsumerCleanerTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final Duration MIN_IDLE = Duration.ofMillis(300);
    private static final String SELF = "self";

    /** This processor's Redisson client, and another processor's. */
    private static RedissonClient ours;
    private static RedissonClient theirs;

    private final RedisServer server;
    private LettuceSession session;
    private RedisCommands<String, String> redis;
    private IdleConsumerCleaner cleaner;

    IdleConsumerCleanerTest(RedisServer server) {
        this.server = server;
    }

    @BeforeAll
    static void startRedisson(RedisServer server) {
        ours = redisson(server);
        theirs = redisson(server);
    }

    @AfterAll
    static void stopRedisson() {
        ours.shutdown(0, 2, TimeUnit.SECONDS);
        theirs.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static RedissonClient redisson(RedisServer server) {
        Config config = new Config();
        config.useSingleServer().setAddress(server.uri()).setConnectionMinimumIdleSize(1).setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(1);
        return Redisson.create(config);
    }

    @BeforeEach
    void connect() {
        session = new LettuceSession(server.uri());
        redis = session.sync();
        redis.flushall();
        redis.xgroupCreate(StreamOffset.from(KEYS.stream(), "0"), KEYS.group(), XGroupCreateArgs.Builder.mkstream());
        cleaner = new IdleConsumerCleaner(redis, KEYS, SELF, MIN_IDLE, ours.getLock(KEYS.cleanupLock()),
                Duration.ofMinutes(1));
    }

    @AfterEach
    void disconnect() {
        session.close();
    }

    @Test
    void removesAConsumerIdleForTheThresholdWithNothingPending() throws InterruptedException {
        join("gone");
        awaitIdle("gone");

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));

        assertThat(consumers()).isEmpty();
    }

    @Test
    void keepsAnIdleConsumerThatStillHasPendingEntries() throws InterruptedException {
        String id = redis.xadd(KEYS.stream(), Map.of("event_id", "e"));
        redis.xreadgroup(Consumer.from(KEYS.group(), "busy"), XReadArgs.Builder.count(1),
                StreamOffset.lastConsumed(KEYS.stream()));
        join("gone");
        awaitIdle("busy", "gone");

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));

        assertThat(consumers()).containsOnlyKeys("busy");
        assertThat(redis.xpending(KEYS.stream(), Consumer.from(KEYS.group(), "busy"), Range.create("-", "+"),
                Limit.from(10))).extracting(PendingMessage::getId).containsExactly(id);
    }

    @Test
    void keepsAConsumerThatWasActiveWithinTheThreshold() throws InterruptedException {
        join("old");
        join("recent");
        awaitIdle("old", "recent");
        String id = redis.xadd(KEYS.stream(), Map.of("event_id", "e"));
        List<StreamMessage<String, String>> read = redis.xreadgroup(Consumer.from(KEYS.group(), "recent"),
                XReadArgs.Builder.count(1), StreamOffset.lastConsumed(KEYS.stream()));
        assertThat(read).extracting(StreamMessage::getId).containsExactly(id);
        assertThat(redis.xack(KEYS.stream(), KEYS.group(), id)).isEqualTo(1);

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("old")));

        assertThat(consumers()).containsOnlyKeys("recent");
        assertThat(consumers().get("recent").pending()).isZero();
    }

    @Test
    void neverRemovesItsOwnConsumer() throws InterruptedException {
        join(SELF);
        join("gone");
        awaitIdle(SELF, "gone");

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));

        assertThat(consumers()).containsOnlyKeys(SELF);
    }

    @Test
    void removesTheLedgerEntriesOfTheConsumersItRemovesAndOfAnyNoLongerInTheGroup() throws InterruptedException {
        join(SELF);
        join("gone");
        awaitIdle(SELF, "gone");
        join("live");
        redis.hset(KEYS.ledger(), Map.of(SELF, "b1", "gone", "b2", "live", "b3", "deleted-by-hand", "b4"));

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));

        assertThat(redis.hgetall(KEYS.ledger())).isEqualTo(Map.of(SELF, "b1", "live", "b3"));
    }

    @Test
    void removesNothingWhileAnotherProcessorHoldsTheLock() throws InterruptedException {
        join("gone");
        awaitIdle("gone");
        RLock theirLock = theirs.getLock("{events}:lock:consumer-cleanup");
        theirLock.lock(1, TimeUnit.MINUTES);

        assertThat(cleaner.pass()).isEqualTo(IdleConsumerCleaner.Pass.SKIPPED);
        assertThat(consumers()).containsOnlyKeys("gone");

        theirLock.unlock();
        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));
        assertThat(consumers()).isEmpty();
    }

    @Test
    void releasesTheLockAfterAPass() throws InterruptedException {
        join("gone");

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of()));

        assertThat(redis.exists(KEYS.cleanupLock())).isZero();
        assertThat(theirs.getLock(KEYS.cleanupLock()).tryLock(0, 1, TimeUnit.MINUTES)).isTrue();
        theirs.getLock(KEYS.cleanupLock()).unlock();
    }

    @Test
    void removesNothingWhenTheGroupOrTheStreamIsMissing() throws InterruptedException {
        redis.xgroupDestroy(KEYS.stream(), KEYS.group());
        assertThat(redis.exists(KEYS.stream())).isEqualTo(1);
        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of()));

        redis.del(KEYS.stream());
        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of()));
    }

    @Test
    void reloadsTheScriptWhenRedisForgotIt() throws InterruptedException {
        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of()));
        redis.scriptFlush();
        join("gone");
        awaitIdle("gone");

        assertThat(cleaner.pass()).isEqualTo(new IdleConsumerCleaner.Pass(true, List.of("gone")));
    }

    /** A consumer joins the group (and is idle from now on). */
    private void join(String consumer) {
        assertThat(redis.xgroupCreateconsumer(KEYS.stream(), Consumer.from(KEYS.group(), consumer))).isTrue();
    }

    private void awaitIdle(String... names) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, ConsumerInfo> consumers = consumers();
            for (String name : names) {
                if (!consumers.containsKey(name) || consumers.get(name).idleMillis() < MIN_IDLE.toMillis()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** XINFO CONSUMERS, by name in the group's order. */
    private Map<String, ConsumerInfo> consumers() {
        Map<String, ConsumerInfo> consumers = new LinkedHashMap<>();
        for (Object entry : redis.xinfoConsumers(KEYS.stream(), KEYS.group())) {
            List<?> flat = (List<?>) entry;
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put((String) flat.get(i), flat.get(i + 1));
            }
            consumers.put((String) fields.get("name"),
                    new ConsumerInfo((Long) fields.get("pending"), (Long) fields.get("idle")));
        }
        return consumers;
    }

    private record ConsumerInfo(long pending, long idleMillis) {
    }
}
