package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A zombie processor: after a producer's run, it is frozen with SIGSTOP while it holds entries, kept
 * frozen past the reclaim min-idle time until the other processor has taken them over (XAUTOCLAIM)
 * and committed them, then resumed with SIGCONT while events keep arriving. Its late commit must be
 * refused by the commit script's ownership check and counted as {@code taken_over} — nothing
 * counted twice — and the group must drain to aggregates exactly equal to what the stream holds —
 * nothing lost.
 *
 * <p>Made deterministic rather than left to chance:
 * <ul>
 *   <li>From just before the freeze until after the resume the test writes events itself, in
 *       chunks of {@value #CHUNK}, each in one MULTI/EXEC. Redis serves a read blocked in the frozen
 *       zombie's XREADGROUP (the reply waits in its socket), so the zombie is handed a chunk, or
 *       what the survivor's read left of it. A freeze that catches the zombie holding nothing for a
 *       second (it was between a commit and its next read) or only a few entries ({@value #MIN_HELD} or fewer)
 *       is undone well before the min-idle time, and tried again.</li>
 *   <li>Both use the default batch size, so the survivor typically reclaims and commits exactly the
 *       zombie's batch: the same entry ids. Batch ids include the consumer, so the zombie's commit
 *       is not taken for a retry of the survivor's (a ledger duplicate) but refused as taken over.</li>
 *   <li>The zombie's command timeout (15 s) outlasts its freeze, so on resume the reply waiting in
 *       its socket is read and committed, not abandoned as timed out.</li>
 * </ul>
 */
@RedisTest
class ZombieIT {

    private static final String GROUP = "aggregators";
    private static final String ZOMBIE = "zombie";
    private static final String SURVIVOR = "survivor";
    private static final int PRODUCED = 2_000;
    private static final int CHUNK = 500;
    /** Fewest entries the frozen zombie must hold for an attempt to count. */
    private static final int MIN_HELD = 50;
    private static final Duration MIN_IDLE = Duration.ofSeconds(2);
    /** How long the zombie's holding must stay unchanged: longer than any commit it had in flight when frozen. */
    private static final Duration STABLE = Duration.ofMillis(200);
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @Test
    void processorResumedAfterItsEntriesWereReclaimedCommitsNothingTwiceAndLosesNothing(RedisServer server)
            throws Exception {
        Map<String, String> common = Map.of("streamfold.redis.url", server.uri());
        Map<String, String> processorSettings = ServiceProcess.with(common,
                "streamfold.consumer.reclaim-min-idle", MIN_IDLE.toMillis() + "ms",
                "streamfold.consumer.reclaim-interval", "500ms");
        int zombiePort = FreePort.pick();
        int survivorPort = FreePort.pick();
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             StreamAudit audit = StreamAudit.begin(server.uri());
             ServiceProcess zombie = ServiceProcess.start(ZOMBIE, "processor", ServiceProcess.with(processorSettings,
                     "quarkus.http.port", zombiePort, "streamfold.consumer.name", ZOMBIE,
                     "streamfold.redis.timeout", "15s"));
             ServiceProcess survivor = ServiceProcess.start(SURVIVOR, "processor", ServiceProcess.with(processorSettings,
                     "quarkus.http.port", survivorPort, "streamfold.consumer.name", SURVIVOR));
             ServiceProcess producer = ServiceProcess.start("zombie-producer", "producer", ServiceProcess.with(common,
                     "streamfold.producer.count", PRODUCED, "streamfold.producer.rate", 0, "streamfold.producer.seed", 1313))) {
            RedisCommands<String, String> redis = connection.sync();
            zombie.awaitReady(zombiePort, STARTUP);
            survivor.awaitReady(survivorPort, STARTUP);
            assertThat(producer.awaitExit(Duration.ofMinutes(1))).as("producer exit code").isZero();
            await("group drained after the producer").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> StreamContents.drained(redis));

            long written;
            long held;
            Freezer freezer = new Freezer(zombie, redis);
            try (ChunkWriter writer = new ChunkWriter(server.uri())) {
                try {
                    await("zombie frozen holding more than " + MIN_HELD + " entries").atMost(Duration.ofSeconds(30))
                            .pollInSameThread().pollInterval(Duration.ofMillis(20)).until(freezer::frozenHoldingEnough);
                    held = freezer.held();
                    List<PendingMessage> heldEntries = redis.xpending(StreamContents.STREAM, Consumer.from(GROUP, ZOMBIE),
                            Range.unbounded(), Limit.from(held + 1));
                    assertThat(heldEntries).as("entries pending for the frozen zombie").hasSize((int) held);
                    Range<String> heldRange = Range.create(heldEntries.get(0).getId(), heldEntries.get((int) held - 1).getId());
                    await("zombie's entries taken over and committed by the survivor").atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(50)).until(() -> pendingFor(redis, ZOMBIE) == 0
                                    && redis.xpending(StreamContents.STREAM, GROUP, heldRange, Limit.from(1)).isEmpty());
                } finally {
                    zombie.thaw();
                }
                await("zombie's late commit answered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                        .until(() -> eventsCounted(zombiePort, "taken_over") + eventsCounted(zombiePort, "duplicate") > 0);
                long aggregatedAfterThaw = eventsCounted(zombiePort, "committed");
                await("zombie aggregating again").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> eventsCounted(zombiePort, "committed") > aggregatedAfterThaw);
                written = writer.stop();
            }
            await("group drained").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> StreamContents.drained(redis));

            long takenOver = eventsCounted(zombiePort, "taken_over");
            long reclaimed = eventsCounted(survivorPort, "reclaimed");
            System.out.printf("ZombieIT: %d freeze attempt(s); the frozen zombie held %d entries; taken_over %d (zombie), "
                    + "reclaimed %d (survivor); %d events produced, %d written by the test%n", freezer.attempts(), held,
                    takenOver, reclaimed, PRODUCED, written);
            assertThat(takenOver).as("entries of the zombie's refused commit (taken_over)").isEqualTo(held);
            assertThat(reclaimed).as("entries the survivor took over (reclaimed)").isEqualTo(held);
            assertThat(eventsCounted(zombiePort, "duplicate")).as("zombie's entries the ledger answered as duplicates").isZero();
            assertThat(eventsCounted(survivorPort, "taken_over")).as("survivor's entries taken over").isZero();
            assertThat(StreamContents.lag(redis)).as("group lag").isZero();
            StreamContents contents = StreamContents.read(server.uri(), audit, Set.of());
            assertThat(contents.deadLetters()).as("dead letters").isEmpty();
            assertThat(contents.expected().count()).as("events in the stream").isEqualTo(PRODUCED + written);
            StreamContents.assertAggregatesEqual(redis, contents.expected());
            assertThat(eventsCounted(zombiePort, "committed") + eventsCounted(survivorPort, "committed"))
                    .as("events aggregated by both processors").isEqualTo(PRODUCED + written);
        } finally {
            client.shutdown();
        }
    }

    /** Entries pending for {@code consumer} in the group. */
    private static long pendingFor(RedisCommands<String, String> redis, String consumer) {
        return redis.xpending(StreamContents.STREAM, GROUP).getConsumerMessageCount().getOrDefault(consumer, 0L);
    }

    /** {@code processor_events_total{outcome="<outcome>"}} scraped from the processor's {@code /q/metrics}. */
    private static long eventsCounted(int port, String outcome) {
        String metrics = ServiceProcess.get(port, "/q/metrics").body();
        Matcher matcher = Pattern.compile("^processor_events_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertThat(matcher.find()).as("processor_events_total{outcome=\"%s\"} on port %d", outcome, port).isTrue();
        return new BigDecimal(matcher.group(1)).longValueExact();
    }

    /**
     * Freezes the zombie until it is caught holding more entries than the survivor reclaims at once.
     * A freeze that catches it holding none (for a second) or too few is undone well before the
     * min-idle time, so those entries are committed by the zombie itself, and tried again after the
     * zombie has had time to run.
     */
    private static final class Freezer {

        private static final long NONE_FOR_NANOS = Duration.ofSeconds(1).toNanos();
        private static final long REST_NANOS = Duration.ofMillis(300).toNanos();

        private final ServiceProcess zombie;
        private final RedisCommands<String, String> redis;
        private int attempts;
        private long frozenAt;
        private long thawedAt = System.nanoTime() - REST_NANOS;
        private long held;
        private long heldSince;

        Freezer(ServiceProcess zombie, RedisCommands<String, String> redis) {
            this.zombie = zombie;
            this.redis = redis;
        }

        boolean frozenHoldingEnough() {
            long now = System.nanoTime();
            if (!zombie.frozen()) {
                if (now - thawedAt >= REST_NANOS) {
                    zombie.freeze();
                    attempts++;
                    frozenAt = System.nanoTime();
                    held = -1;
                }
                return false;
            }
            long pending = pendingFor(redis, ZOMBIE);
            if (pending != held) {
                held = pending;
                heldSince = now;
            }
            boolean stable = now - heldSince >= STABLE.toNanos();
            if (stable && held > MIN_HELD) {
                return true;
            }
            if ((stable && held > 0) || (held == 0 && now - frozenAt >= NONE_FOR_NANOS)) {
                zombie.thaw();
                thawedAt = System.nanoTime();
            }
            return false;
        }

        long held() {
            return held;
        }

        int attempts() {
            return attempts;
        }
    }

    /**
     * Writes valid events to the stream from a thread of its own, {@value #CHUNK} per MULTI/EXEC
     * every 50 ms, so a blocked reader is served a whole chunk (or what another reader left of it).
     */
    private static final class ChunkWriter implements AutoCloseable {

        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RandomEvents events = new RandomEvents(4242, 50);
        private final AtomicLong written = new AtomicLong();
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        private final ScheduledFuture<?> task;

        ChunkWriter(String uri) {
            this.client = RedisClient.create(uri);
            this.connection = client.connect();
            this.task = executor.scheduleWithFixedDelay(this::writeChunk, 0, 50, TimeUnit.MILLISECONDS);
        }

        private void writeChunk() {
            RedisCommands<String, String> redis = connection.sync();
            redis.multi();
            for (Map<String, String> event : events.next(CHUNK)) {
                redis.xadd(StreamContents.STREAM, event);
            }
            TransactionResult result = redis.exec();
            if (result.wasDiscarded() || result.size() != CHUNK) {
                throw new IllegalStateException("chunk not written: " + result);
            }
            written.addAndGet(CHUNK);
        }

        /** Stops writing; returns how many events were written. Fails if a write failed. */
        long stop() throws InterruptedException {
            if (task.isDone()) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("writing events failed", e.getCause());
                }
            }
            task.cancel(false);
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("writer stopped").isTrue();
            return written.get();
        }

        @Override
        public void close() {
            executor.shutdownNow();
            connection.close();
            client.shutdown();
        }
    }
}
