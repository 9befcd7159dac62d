package io.streamfold.processor.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.PendingMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.assemble.BatchAssembler;
import io.streamfold.processor.assemble.DeliveryCounts;
import io.streamfold.processor.assemble.RawEntryParser;
import io.streamfold.processor.commit.BatchCommitter;
import io.streamfold.processor.commit.EntryHold;
import io.streamfold.processor.read.BatchReader;
import io.streamfold.processor.read.RawEntries;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@RedisTest
class CommitPipelineTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final EventSchema SCHEMA = EventSchema.defaults();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

    private final RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> reads;
    private StatefulRedisConnection<String, String> commits;
    private RedisCommands<String, String> redis;
    private AllTimeReads allTime;
    private SimpleMeterRegistry registry;
    private ExpectedAggregates expected;
    private final CommitRefusal refusal = new CommitRefusal();

    CommitPipelineTest(RedisServer server) {
        this.server = server;
    }

    @BeforeEach
    void connect() {
        RedisURI uri = RedisURI.create(server.uri());
        uri.setTimeout(COMMAND_TIMEOUT);
        client = RedisClient.create(uri);
        reads = client.connect();
        commits = client.connect();
        redis = client.connect().sync();
        allTime = new AllTimeReads(redis, KEYS);
        redis.flushall();
        redis.xgroupCreate(StreamOffset.from(KEYS.stream(), "0"), KEYS.group(), XGroupCreateArgs.Builder.mkstream());
        registry = new SimpleMeterRegistry();
        expected = new ExpectedAggregates(SCHEMA.dimensions());
    }

    @AfterEach
    void disconnect() {
        client.shutdown();
    }

    private void append(int events) {
        for (Map<String, String> event : new RandomEvents(7, 20).next(events)) {
            redis.xadd(KEYS.stream(), event);
            expected.add(event);
        }
    }

    private BatchReader reader(int batchSize) {
        return new BatchReader(reads.async(), KEYS, "c1", batchSize, Duration.ofMillis(50), COMMAND_TIMEOUT,
                Duration.ofMillis(1), RawEntryParser.fieldNames(SCHEMA));
    }

    private CommitPipeline pipeline() {
        return pipeline(new CpuAggregator());
    }

    private CommitPipeline pipeline(Aggregator aggregator) {
        Clock clock = Clock.systemUTC();
        BatchCommitter.Settings settings = new BatchCommitter.Settings(1000, SCHEMA.retention(),
                SCHEMA.maxFutureSkew(), true,
                Duration.ofMinutes(30), 10_000);
        RedisCommands<String, String> commands = commits.sync();
        return new CommitPipeline(new BatchAssembler(new RawEntryParser(SCHEMA, clock), aggregator,
                new EventParser(SCHEMA, clock), KEYS.stream(), 10),
                new BatchCommitter(commands, KEYS, SCHEMA.dimensions(), "c1", settings, clock),
                new DeliveryCounts(commands, KEYS, "c1"), new EntryHold(commands, KEYS, "c1"), refusal,
                new Backoff(Duration.ofMillis(20)), new ConsumerMetrics(registry, SCHEMA.dimensions(), refusal), clock,
                SCHEMA.dimensions().size(), () -> true, () -> {
                });
    }

    private double events(String outcome) {
        return registry.get("processor.events").tag("outcome", outcome).counter().count();
    }

    private void requireExactTotals() {
        assertThat(allTime.totals()).containsEntry("count", String.valueOf(expected.count()))
                .containsEntry("sum", expected.totalsInUnits(SCHEMA.scale()).get("sum"));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void commitsEveryBatchOnceWhileTheNextIsAggregated() {
        append(2_000);
        BatchReader reader = reader(150);
        CommitPipeline pipeline = pipeline();
        int submitted = 0;
        for (RawEntries entries = reader.next(); !entries.isEmpty(); entries = reader.next()) {
            pipeline.submit(entries, false);
            submitted++;
            assertThat(pipeline.inFlight()).as("the commit just sent is not waited for").isTrue();
        }
        pipeline.settle();

        assertThat(pipeline.inFlight()).isFalse();
        assertThat(submitted).isEqualTo(14);
        requireExactTotals();
        assertThat(events("committed")).isEqualTo(2_000);
        assertThat(registry.get("processor.commit.duration").timer().count()).isEqualTo(14);
    }

    @Test
    void keepsABatchsEntriesUntilTwoMoreReadsHaveArrived() {
        append(300);
        BatchReader reader = reader(100);
        RawEntries first = reader.next();
        List<String> ids = ids(first);
        reader.next();
        reader.finish(); // the third batch, read ahead, has been decoded

        assertThat(ids(first)).isEqualTo(ids).hasSize(100);
    }

    @Test
    void readsAheadOnlyWhileBatchesArriveFull() {
        append(250);
        BatchReader reader = reader(100);

        assertThat(reader.next().size()).isEqualTo(100);
        assertThat(reader.readingAhead()).as("a full batch: more are waiting").isTrue();
        assertThat(reader.next().size()).isEqualTo(100);
        assertThat(reader.next().size()).isEqualTo(50);
        assertThat(reader.readingAhead()).as("a short batch: the stream is drained").isFalse();
    }

    @Test
    void recommitsOnlyTheEntriesStillOwnedWhenAnotherConsumerTookSomeOver() {
        append(200);
        RawEntries entries = reader(200).next();
        List<String> taken = ids(entries).subList(50, 80);
        redis.xclaim(KEYS.stream(), Consumer.from(KEYS.group(), "c2"), XClaimArgs.Builder.justid(),
                taken.toArray(String[]::new));

        CommitPipeline pipeline = pipeline();
        pipeline.submit(entries, false);
        pipeline.settle();

        assertThat(events("taken_over")).isEqualTo(30);
        assertThat(allTime.totals().get("count")).isEqualTo("170");
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getConsumerMessageCount()).containsOnly(Map.entry("c2", 30L));
    }

    @Test
    void retriesACommitThatTimedOutWithoutApplyingItTwice() {
        append(500);
        BatchReader reader = reader(250);
        CommitPipeline pipeline = pipeline();
        pipeline.submit(reader.next(), false); // the script is loaded: the next commit is one EVALSHA
        pipeline.settle();
        RawEntries entries = reader.next();
        // Redis busy for a second, past the command timeout: the commit times out, yet runs once Redis is free.
        RedisClient patient = RedisClient.create(server.uri());
        CompletableFuture<Object> busy = patient.connect().async().eval(
                "local t = redis.call('TIME') local until_ = t[1] * 1e6 + t[2] + 1e6 "
                        + "repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] >= until_ return 1",
                ScriptOutputType.INTEGER).toCompletableFuture();
        await("Redis busy").atMost(Duration.ofSeconds(5)).until(() -> !answersWithin(Duration.ofMillis(100)));

        pipeline.submit(entries, false);
        pipeline.settle();
        busy.join();
        patient.shutdown();

        assertThat(registry.get("processor.errors").tag("stage", "commit").counter().count()).isPositive();
        assertThat(registry.get("processor.batches").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
        requireExactTotals();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // retrying for ever is what it guards against
    void givesUpACommitWhoseGroupIsGoneSoTheLoopCanCreateItAgain() {
        append(100);
        RawEntries entries = reader(100).next();
        redis.xgroupDestroy(KEYS.stream(), KEYS.group());

        CommitPipeline pipeline = pipeline();
        pipeline.submit(entries, false);

        assertThatThrownBy(pipeline::settle).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("NOGROUP");
        assertThat(pipeline.inFlight()).isFalse();
        assertThat(allTime.totals()).isEmpty();
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void keepsTheEntriesOfACommitRefusedWholeFromOtherConsumersUntilMendedThenAppliesItOnce() throws Exception {
        long now = System.currentTimeMillis();
        redis.set(KEYS.settledThrough(), String.valueOf(Math.floorDiv(now, 60_000L) - 2));
        redis.hset(KEYS.sumsBy("product"), "p1", "lots"); // an all-time field edited by hand
        for (int i = 0; i < 50; i++) {
            Map<String, String> late = Map.of("event_id", "e" + i, "user_id", "u" + i, "session_id", "s" + i,
                    "event_type", "view", "product", "p1", "value", "1.25", "ts", String.valueOf(now - 600_000));
            redis.xadd(KEYS.stream(), late);
            expected.add(late);
        }
        CommitPipeline pipeline = pipeline();
        pipeline.submit(reader(100).next(), false);

        CompletableFuture<Void> settled = CompletableFuture.runAsync(pipeline::settle);
        await("refused").atMost(Duration.ofSeconds(5)).until(() -> refusal.current().isPresent());
        assertThat(refusal.current().get().reason()).contains(KEYS.sumsBy("product") + " field p1 holds lots");
        assertThat(refusal.current().get().entries()).isEqualTo(50);
        assertThat(registry.get("processor.commit.refused").gauge().value()).isEqualTo(1);
        // Another processor looks for entries idle 100 ms (the pipeline retries within 20 ms): it must find none.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(redis.xautoclaim(KEYS.stream(), XAutoClaimArgs.Builder.xautoclaim(Consumer.from(KEYS.group(), "c2"),
                    Duration.ofMillis(100), "0-0").count(100)).getMessages()).as("entries taken over").isEmpty();
            await().pollDelay(Duration.ofMillis(50)).until(() -> true);
        }

        assertThat(settled).isNotDone();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).as("nothing acknowledged").isEqualTo(50);
        assertThat(redis.exists(KEYS.totals())).as("nothing applied").isZero();
        assertThat(deliveries()).as("each delivered once, however often the commit was tried").containsOnly(1L);

        redis.hset(KEYS.sumsBy("product"), "p1", "0");
        settled.get(5, TimeUnit.SECONDS);

        requireExactTotals();
        assertThat(redis.hget(KEYS.sumsBy("product"), "p1")).isEqualTo("6250");
        assertThat(events("committed")).isEqualTo(50);
        assertThat(refusal.current()).isEmpty();
        assertThat(registry.get("processor.commit.refused").gauge().value()).isZero();
        assertThat(redis.xlen(KEYS.deadLetters())).isZero();
    }

    @Test
    void reReadingItsOwnPendingEntriesCountsNoDelivery() {
        append(30);
        BatchReader reader = reader(100);
        List<String> delivered = ids(reader.next());

        for (int i = 0; i < 3; i++) { // as after a failed read, or a restart
            reader.rewind();
            RawEntries again = reader.next();
            assertThat(ids(again)).isEqualTo(delivered);
            assertThat(reader.lastWasRedelivery()).isTrue();
        }

        assertThat(deliveries()).hasSize(30).containsOnly(1L);
        redis.xdel(KEYS.stream(), delivered.get(4));
        reader.rewind();
        RawEntries withOneDeleted = reader.next();
        assertThat(ids(withOneDeleted)).isEqualTo(delivered);
        assertThat(withOneDeleted.deleted(4)).isTrue();
        assertThat(withOneDeleted.deleted(5)).isFalse();
    }

    @Test
    void commitsABatchThatFailsAsAWholeInPartsAndDeadLettersOnlyTheEntryThatFailsAlone() {
        append(100);
        Map<String, String> poison = new HashMap<>(Map.of("event_id", "poison", "user_id", "u", "session_id", "s",
                "event_type", "view", "product", "p1", "value", "666.66", "ts", String.valueOf(System.currentTimeMillis())));
        redis.xadd(KEYS.stream(), poison);
        append(50);
        Aggregator failsOnPoison = new Aggregator() { // a deterministic failure on one event, as a bug would cause
            private final CpuAggregator cpu = new CpuAggregator();

            @Override
            public void aggregate(EventColumns events, CellDelta delta) {
                for (int i = 0; i < events.size(); i++) {
                    if (events.values()[i] == 66_666) {
                        throw new ArithmeticException("long overflow");
                    }
                }
                cpu.aggregate(events, delta);
            }

            @Override
            public String name() {
                return "fails-on-poison";
            }
        };
        CommitPipeline pipeline = pipeline(failsOnPoison);

        pipeline.submit(reader(1_000).next(), false);
        pipeline.settle();

        requireExactTotals(); // the 150 other events, each once
        assertThat(events("committed")).isEqualTo(150);
        List<StreamMessage<String, String>> letters = redis.xrange(KEYS.deadLetters(), Range.create("-", "+"));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getBody()).containsEntry("event_id", "poison")
                .containsEntry("dlq_reason", "processing_failed").containsEntry("dlq_deliveries", "1")
                .containsEntry("dlq_detail", "processing this entry failed: java.lang.ArithmeticException: long overflow");
    }

    @Test
    void deadLettersAnEntryWhoseTextIsNotUtf8AsTheApiRefusesItAndCountsTheRest() {
        append(20);
        Map<String, byte[]> notUtf8 = new HashMap<>();
        Map.of("event_id", "bad", "user_id", "u", "session_id", "s", "event_type", "view", "value", "1.00",
                "ts", String.valueOf(System.currentTimeMillis())).forEach((name, value) -> notUtf8.put(name, value.getBytes(UTF_8)));
        notUtf8.put("product", new byte[] {'p', (byte) 0xC3, 0x28}); // C3 28: a lead byte without its continuation
        Map<String, byte[]> utf8 = new HashMap<>(notUtf8);
        utf8.put("event_id", "good".getBytes(UTF_8));
        utf8.put("product", "café".getBytes(UTF_8));
        RedisClient binaryClient = RedisClient.create(server.uri());
        try (var binary = binaryClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
            binary.sync().xadd(KEYS.stream(), notUtf8);
            binary.sync().xadd(KEYS.stream(), utf8);
        } finally {
            binaryClient.shutdown();
        }
        expected.add(Map.of("event_type", "view", "product", "café", "value", "1.00"));
        CommitPipeline pipeline = pipeline();

        pipeline.submit(reader(100).next(), false);
        pipeline.settle();

        requireExactTotals();
        assertThat(allTime.by(KeyLayout.COUNT, "product")).containsEntry("café", "1");
        List<StreamMessage<String, String>> letters = redis.xrange(KEYS.deadLetters(), Range.create("-", "+"));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getBody()).containsEntry("event_id", "bad").containsEntry("dlq_reason", "invalid_utf8")
                .containsEntry("dlq_detail", "field 'product' is not valid UTF-8");
    }

    /** The delivery count of every entry pending for the group. */
    private List<Long> deliveries() {
        return redis.xpending(KEYS.stream(), KEYS.group(), Range.create("-", "+"), Limit.from(10_000)).stream()
                .map(PendingMessage::getRedeliveryCount).toList();
    }

    /** Whether Redis answers a PING within {@code timeout} (not while a script keeps it busy). */
    private boolean answersWithin(Duration timeout) {
        try {
            return "PONG".equals(redis.getStatefulConnection().async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException busy) {
            return false;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(RawEntries entries) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ids.add(entries.id(i));
        }
        return ids;
    }
}
