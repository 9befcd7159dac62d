package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.ParseResult;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.LettuceSession;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RedisTest
class BatchCommitterTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final EventSchema SCHEMA = EventSchema.defaults();
    static final BatchCommitter.Settings SETTINGS = new BatchCommitter.Settings(1000,
            Duration.ofDays(7), Duration.ofMinutes(5), true, Duration.ofMinutes(30), 10_000);
    private static final String NOW = String.valueOf(System.currentTimeMillis());

    private final RedisServer server;

    @RegisterExtension
    final RedisConnection connection;

    private RedisCommands<String, String> redis;
    private AllTimeReads allTime;
    private BatchCommitter committer;

    BatchCommitterTest(RedisServer server) {
        this.server = server;
        this.connection = RedisConnection.withEmptyStream(() -> server, KEYS);
    }

    @BeforeEach
    void connect() {
        redis = connection.sync();
        allTime = new AllTimeReads(redis, KEYS);
        committer = new BatchCommitter(redis, KEYS, SCHEMA.dimensions(), "c1", SETTINGS, Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));
    }

    private Batch readBatch() {
        return batchOf(read());
    }

    /** Adds one event and reads it as a batch of its own. */
    private Batch readBatchAfter(Map<String, String> event) {
        redis.xadd(KEYS.stream(), event);
        return readBatch();
    }

    private List<StreamMessage<String, String>> read() {
        return redis.xreadgroup(Consumer.from(KEYS.group(), "c1"), XReadArgs.Builder.count(100),
                StreamOffset.lastConsumed(KEYS.stream()));
    }

    static Batch batchOf(List<StreamMessage<String, String>> messages) {
        Batch batch = new Batch(SCHEMA.dimensions().size());
        EventParser parser = new EventParser(SCHEMA);
        for (StreamMessage<String, String> message : messages) {
            TestBatches.addEntryId(batch, message.getId());
            if (parser.parse(message.getBody()) instanceof ParseResult.Parsed parsed) {
                batch.addEvent(parsed.event());
            } else {
                batch.addDeadLetter(new Batch.DeadLetter(message.getId(), "missing_field", "missing field 'ts'", 1,
                        message.getBody()));
            }
        }
        batch.delta().aggregate(new CpuAggregator());
        return batch;
    }

    private static Map<String, String> event(String type, String product, String value) {
        return Map.of("event_id", "e", "user_id", "u", "session_id", "s", "event_type", type,
                "product", product, "value", value, "ts", NOW);
    }

    @Test
    void appliesDeltasAndAcknowledgesEveryEntryInOneCommit() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        redis.xadd(KEYS.stream(), event("purchase", "p1", "-0.50"));
        redis.xadd(KEYS.stream(), event("view", "p2", "10"));

        assertThat(committer.commit(readBatch()).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "3", "sum", "1075", "min", "-50", "max", "1000"));
        assertThat(allTime.by(KeyLayout.COUNT, "event_type")).isEqualTo(Map.of("view", "2", "purchase", "1"));
        assertThat(allTime.by(KeyLayout.SUM, "event_type")).isEqualTo(Map.of("view", "1125", "purchase", "-50"));
        assertThat(allTime.by(KeyLayout.COUNT, "product")).isEqualTo(Map.of("p1", "2", "p2", "1"));
        assertThat(allTime.by(KeyLayout.SUM, "product")).isEqualTo(Map.of("p1", "75", "p2", "1000"));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void aNewStoreSettlesFromTwoMinutesBackSoTheCurrentMinuteWaitsInItsBin() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));

        committer.commit(readBatch());

        long minute = Math.floorDiv(Long.parseLong(NOW), 60_000L);
        long nowMinute = Math.floorDiv(System.currentTimeMillis(), 60_000L);
        assertThat(Long.parseLong(redis.get(KEYS.settledThrough()))).isBetween(nowMinute - 3, nowMinute - 2);
        assertThat(redis.zrange(KEYS.unsettledMinutes(), 0, -1)).containsExactly(String.valueOf(minute));
        assertThat(redis.exists(KEYS.totals())).as("not written twice").isZero();
        assertThat(redis.hget(KEYS.minuteBin(minute), KeyLayout.COUNT)).isEqualTo("1");
        assertThat(allTime.totals()).containsEntry(KeyLayout.COUNT, "1");
    }

    @Test
    void aLostSettleMarkRestartsJustBeforeTheFirstUnsettledMinuteSoNoMinuteIsAddedTwice() {
        long minute = Math.floorDiv(Long.parseLong(NOW), 60_000L);
        Map<String, String> tenMinutesAgo = new HashMap<>(event("view", "p1", "1.00"));
        tenMinutesAgo.put("ts", String.valueOf(Long.parseLong(NOW) - 600_000));
        redis.xadd(KEYS.stream(), tenMinutesAgo); // settled already: written to all time too
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25")); // unsettled
        committer.commit(readBatch());
        redis.del(KEYS.settledThrough());
        redis.xadd(KEYS.stream(), event("view", "p1", "2.00"));

        committer.commit(readBatch());

        assertThat(redis.get(KEYS.settledThrough())).isEqualTo(String.valueOf(minute - 1));
        assertThat(redis.hget(KEYS.totals(), KeyLayout.COUNT)).as("the unsettled minute's cells in its bin only").isEqualTo("1");
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "3", "sum", "425", "min", "100", "max", "200"));
    }

    @Test
    void aStoreWrittenByABuildThatWroteEveryCellTwiceKeepsItsMinutesUnsettledUntilThatBuildIsGone() {
        redis.hset(KEYS.totals(), Map.of("count", "5", "sum", "500", "min", "100", "max", "100"));
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));

        committer.commit(readBatch());

        long nowMinute = Math.floorDiv(System.currentTimeMillis(), 60_000L);
        assertThat(Long.parseLong(redis.get(KEYS.settledThrough())))
                .as("the latest event time accepted (5 minutes ahead) and 15 minutes for the replacement, from now")
                .isBetween(nowMinute + 19, nowMinute + 20);
        assertThat(redis.exists(KEYS.unsettledMinutes())).isZero();
        assertThat(redis.hgetall(KEYS.totals())).as("written to all time at once, as that build does")
                .isEqualTo(Map.of("count", "6", "sum", "625", "min", "100", "max", "125"));
        assertThat(allTime.totals()).isEqualTo(redis.hgetall(KEYS.totals()));
    }

    /** An event of ten minutes ago, in a store whose settle mark lies before it: the commit settles its minute. */
    private long commitAnEventOfAMinuteDueToBeSettled() {
        long minute = Math.floorDiv(Long.parseLong(NOW) - 600_000, 60_000L);
        redis.set(KEYS.settledThrough(), String.valueOf(minute - 10));
        Map<String, String> tenMinutesAgo = new HashMap<>(event("view", "p1", "10.00"));
        tenMinutesAgo.put("ts", String.valueOf(Long.parseLong(NOW) - 600_000));
        redis.xadd(KEYS.stream(), tenMinutesAgo);
        return minute;
    }

    @Test
    void settlesAFinishedMinuteIntoAllTimeOnceAndExpiresItsBin() {
        long minute = commitAnEventOfAMinuteDueToBeSettled();

        BatchCommitter.Result result = committer.commit(readBatch());

        assertThat(result.settleRefusal()).isNull();
        assertThat(redis.zrange(KEYS.unsettledMinutes(), 0, -1)).isEmpty();
        assertThat(redis.hgetall(KEYS.totals())).isEqualTo(Map.of("count", "1", "sum", "1000", "min", "1000", "max", "1000"));
        assertThat(redis.hgetall(KEYS.sumsBy("product"))).isEqualTo(Map.of("p1", "1000"));
        assertThat(redis.ttl(KEYS.minuteBin(minute))).isPositive();
    }

    @Test
    void aMinuteWhoseSumWouldPassSixtyFourBitsStaysUnsettledWhileTheBatchIsAppliedAndSaysWhy() {
        String nearTheLimit = "9223372036854775000"; // + 1000 passes 2^63 - 1
        redis.hset(KEYS.sumsBy("product"), "p1", nearTheLimit);
        long minute = commitAnEventOfAMinuteDueToBeSettled();

        BatchCommitter.Result result = committer.commit(readBatch());

        assertThat(result.outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(result.settleRefusal()).contains("minute " + minute + " cannot be settled")
                .contains(KEYS.sumsBy("product") + " field p1 (" + nearTheLimit + ") would pass the 64-bit range");
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
        assertThat(redis.hget(KEYS.minuteBin(minute), KeyLayout.COUNT)).isEqualTo("1");
        assertThat(redis.zrange(KEYS.unsettledMinutes(), 0, -1)).containsExactly(String.valueOf(minute));
        assertThat(redis.get(KEYS.settledThrough())).isEqualTo(String.valueOf(minute - 1));
        assertThat(redis.exists(KEYS.totals())).as("nothing of the minute settled").isZero();
        assertThat(redis.hgetall(KEYS.sumsBy("product"))).isEqualTo(Map.of("p1", nearTheLimit));
        assertThat(redis.ttl(KEYS.minuteBin(minute))).as("an unsettled bin does not expire").isEqualTo(-1);
    }

    @Test
    void anAllTimeKeyOfAnotherTypeHoldsSettlingBackInsteadOfFailingTheCommit() {
        redis.set(KEYS.histogram(), "a string where a hash belongs");
        long minute = commitAnEventOfAMinuteDueToBeSettled();

        BatchCommitter.Result result = committer.commit(readBatch());

        assertThat(result.outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(result.settleRefusal()).contains("minute " + minute).contains(KEYS.histogram() + ": WRONGTYPE");
        assertThat(redis.exists(KEYS.totals())).isZero();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void aFieldThatIsNoIntegerHoldsSettlingBackWithNothingAddedTwiceUntilItIsMended() {
        redis.hset(KEYS.maxesBy("product"), "p1", "high");
        long minute = commitAnEventOfAMinuteDueToBeSettled();
        assertThat(committer.commit(readBatch()).settleRefusal())
                .contains(KEYS.maxesBy("product") + " field p1 holds high, not an integer");
        redis.xadd(KEYS.stream(), event("view", "p1", "2.00"));

        BatchCommitter.Result whileRefused = committer.commit(readBatch());

        assertThat(whileRefused.settleRefusal()).as("not tried again for ten seconds").isNull();
        assertThat(redis.ttl(KEYS.settleRefused())).isBetween(1L, 10L);
        assertThat(redis.exists(KEYS.totals())).as("no field settled, none twice").isZero();
        assertThat(redis.zrange(KEYS.unsettledMinutes(), 0, -1)).contains(String.valueOf(minute));

        redis.hset(KEYS.maxesBy("product"), "p1", "0");
        redis.del(KEYS.settleRefused());
        redis.xadd(KEYS.stream(), event("view", "p1", "3.00"));
        assertThat(committer.commit(readBatch()).settleRefusal()).isNull();

        assertThat(redis.zrange(KEYS.unsettledMinutes(), 0, -1)).doesNotContain(String.valueOf(minute));
        assertThat(redis.hgetall(KEYS.totals())).as("the minute's one event, once")
                .isEqualTo(Map.of("count", "1", "sum", "1000", "min", "1000", "max", "1000"));
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "3", "sum", "1500", "min", "200", "max", "1000"));
        assertThat(redis.hget(KEYS.maxesBy("product"), "p1")).isEqualTo("1000");
    }

    @Test
    void aUserDeniedACommandTheCommitNeedsFailsItWithNothingAppliedAndSaysWhich() {
        redis.aclSetuser("no-pfadd", AclSetuserArgs.Builder.on().addPassword("secret").allKeys().allChannels()
                .allCommands().removeCommand(CommandType.PFADD));
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        Batch batch = readBatch();
        try (LettuceSession limited = new LettuceSession("redis://no-pfadd:secret@" + server.host() + ":" + server.port())) {
            BatchCommitter denied = new BatchCommitter(limited.sync(), KEYS, SCHEMA.dimensions(), "c1", SETTINGS,
                    Clock.systemUTC());

            assertThatThrownBy(() -> denied.commit(batch)).hasMessageStartingWith("NOPERM").hasMessageContaining("PFADD");
        }

        assertThat(allTime.totals()).as("no aggregate written").isEmpty();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).as("the entry still pending").isEqualTo(1);
        assertThat(redis.aclLog()).as("denied before anything ran, so Redis logged no denial").isEmpty();
    }

    @Test
    void aStoredSessionThatIsNoSummaryFailsTheCommitWithNothingAppliedAndSaysWhich() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        Batch batch = readBatch();
        long window = Long.parseLong(redis.time().get(0)) / SETTINGS.sessionGap().toSeconds();
        redis.hset(KEYS.sessions(window), "s", "3 375 1795600000000 1795600060000"); // text: another build's format

        assertThatThrownBy(() -> committer.commit(batch)).hasMessageContaining("session s in")
                .hasMessageContaining("holds 33 bytes, not a summary of 40").hasMessageEndingWith("nothing was applied");

        assertThat(allTime.totals()).as("no aggregate written").isEmpty();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).as("the entry still pending").isEqualTo(1);
    }

    /** Events of ten and eleven minutes ago, in a store that settled their minutes already: late events. */
    private void addTwoLateEvents() {
        redis.set(KEYS.settledThrough(), String.valueOf(Math.floorDiv(Long.parseLong(NOW), 60_000L) - 2));
        for (long ago : new long[] {600_000, 660_000}) {
            Map<String, String> late = new HashMap<>(event("view", "p1", "10.00"));
            late.put("ts", String.valueOf(Long.parseLong(NOW) - ago));
            redis.xadd(KEYS.stream(), late);
        }
    }

    @Test
    void anAllTimeFieldThatIsNoIntegerFailsALateEventsCommitWithNothingAppliedUntilItIsMended() {
        redis.hset(KEYS.sumsBy("product"), "p1", "lots");
        addTwoLateEvents();
        redis.xadd(KEYS.stream(), event("view", "p2", "2.00"));
        Batch batch = readBatch();

        assertThatThrownBy(() -> committer.commit(batch))
                .hasMessageContaining(KEYS.sumsBy("product") + " field p1 holds lots, not an integer")
                .hasMessageEndingWith("nothing was applied, and the entries stay pending until that is mended");
        assertThat(redis.keys("*")).as("no bin, no all-time field, not even the new value p2")
                .containsExactlyInAnyOrder(KEYS.stream(), KEYS.sumsBy("product"), KEYS.settledThrough());
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).as("the entries still pending").isEqualTo(3);

        redis.hset(KEYS.sumsBy("product"), "p1", "0");
        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "3", "sum", "2200", "min", "200", "max", "1000"));
        assertThat(allTime.by(KeyLayout.SUM, "product")).isEqualTo(Map.of("p1", "2000", "p2", "200"));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void lateEventsWhoseAllTimeSumWouldPassSixtyFourBitsFailTheCommitWithNothingApplied() {
        String nearTheLimit = "9223372036854775000"; // + 2 * 1000 passes 2^63 - 1
        redis.hset(KEYS.sumsBy("product"), "p1", nearTheLimit);
        addTwoLateEvents();
        Batch batch = readBatch();

        assertThatThrownBy(() -> committer.commit(batch)).hasMessageContaining(
                "adding 1000 + 1000 to " + KEYS.sumsBy("product") + " field p1 (" + nearTheLimit + ") would pass the 64-bit range");

        assertThat(redis.exists(KEYS.totals())).as("nothing written").isZero();
        assertThat(redis.hgetall(KEYS.sumsBy("product"))).isEqualTo(Map.of("p1", nearTheLimit));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isEqualTo(2);
    }

    @Test
    void sumsBeyondWhatADoubleHoldsExactlyAreAddedExactly() {
        String pastTwoToThe53 = "9007199254740993"; // 2^53 + 1: a double would make it 2^53
        redis.hset(KEYS.sumsBy("product"), "p1", pastTwoToThe53);
        long minute = Math.floorDiv(Long.parseLong(NOW), 60_000L);
        redis.hset(KEYS.minuteBin(minute), "sum", pastTwoToThe53);
        addTwoLateEvents();
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));

        assertThat(committer.commit(readBatch()).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(redis.hget(KEYS.sumsBy("product"), "p1")).as("both late events, once each").isEqualTo("9007199254742993");
        assertThat(redis.hget(KEYS.minuteBin(minute), "sum")).isEqualTo("9007199254741118");
        assertThat(redis.hget(KEYS.totals(), "sum")).isEqualTo("2000");
    }

    @Test
    void aRetriedCommitOfTheSameBatchChangesNothing() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        Batch batch = readBatch();
        committer.commit(batch);

        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.DUPLICATE);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "1", "sum", "125", "min", "125", "max", "125"));
    }

    @Test
    void theLedgerKeepsOnlyEachConsumersLastBatchHoweverManyItCommits() {
        for (int n = 0; n < 50; n++) {
            redis.xadd(KEYS.stream(), event("view", "p1", "1"));
            assertThat(committer.commit(readBatch()).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        }
        Batch last = readBatchAfter(event("view", "p1", "1"));
        committer.commit(last);
        String id = redis.xadd(KEYS.stream(), event("view", "p1", "1"));
        Batch other = readBatch();
        redis.xclaim(KEYS.stream(), Consumer.from(KEYS.group(), "c2"), 0, id);
        new BatchCommitter(redis, KEYS, SCHEMA.dimensions(), "c2", SETTINGS, Clock.systemUTC()).commit(other);

        assertThat(redis.hkeys(KEYS.ledger())).containsExactlyInAnyOrder("c1", "c2");
        assertThat(committer.commit(last).outcome()).isEqualTo(BatchCommitter.Outcome.DUPLICATE);
        assertThat(allTime.totals()).containsEntry("count", "52");
    }

    @Test
    void aLateCopyOfAnEarlierBatchArrivingAfterTheConsumersNextOneAppliesNothing() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        Batch earlier = readBatch();
        committer.commit(earlier);
        committer.commit(readBatchAfter(event("view", "p1", "2")));

        BatchCommitter.Result late = committer.commit(earlier);

        assertThat(late).isEqualTo(new BatchCommitter.Result(BatchCommitter.Outcome.NOT_ALL_OWNED, List.of(), List.of(), null));
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "2", "sum", "325", "min", "125", "max", "200"));
    }

    @Test
    void aBatchReplayedAfterTheGroupWasRecreatedIsAcknowledgedButNotCountedAgain() {
        redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        committer.commit(readBatch());
        redis.xgroupDestroy(KEYS.stream(), KEYS.group());
        redis.xgroupCreate(StreamOffset.from(KEYS.stream(), "0"), KEYS.group());

        assertThat(committer.commit(readBatch()).outcome()).isEqualTo(BatchCommitter.Outcome.DUPLICATE);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "1", "sum", "125", "min", "125", "max", "125"));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void theSameEntriesCommittedByAnotherConsumerAreNotMistakenForARetry() {
        String id = redis.xadd(KEYS.stream(), event("view", "p1", "1.25"));
        Batch batch = readBatch();
        redis.xclaim(KEYS.stream(), Consumer.from(KEYS.group(), "c2"), 0, id);
        BatchCommitter survivor = new BatchCommitter(redis, KEYS, SCHEMA.dimensions(), "c2", SETTINGS, Clock.systemUTC());
        assertThat(survivor.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        BatchCommitter.Result zombie = committer.commit(batch);

        assertThat(zombie).isEqualTo(new BatchCommitter.Result(BatchCommitter.Outcome.NOT_ALL_OWNED, List.of(), List.of(), null));
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "1", "sum", "125", "min", "125", "max", "125"));
    }

    @Test
    void writesRejectedEntriesToTheDeadLetterStreamWithTheirFieldsAndReason() {
        redis.xadd(KEYS.stream(), Map.of("event_id", "bad"));

        committer.commit(readBatch());

        List<StreamMessage<String, String>> letters = redis.xrange(KEYS.deadLetters(), Range.create("-", "+"));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getBody()).containsEntry("event_id", "bad").containsEntry("dlq_reason", "missing_field")
                .containsEntry("dlq_consumer", "c1").containsEntry("dlq_deliveries", "1").containsEntry("dlq_at", "1000").containsKey("dlq_entry_id");
        assertThat(allTime.totals()).isEmpty();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isZero();
    }

    @Test
    void reloadsTheScriptWhenRedisForgotIt() {
        redis.xadd(KEYS.stream(), event("view", "p1", "2"));
        committer.commit(readBatch());
        redis.scriptFlush();
        redis.xadd(KEYS.stream(), event("view", "p1", "3"));

        assertThat(committer.commit(readBatch()).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "2", "sum", "500", "min", "200", "max", "300"));
    }

    @Test
    void appliesNothingAndNamesTheOwnedEntriesWhenAnotherConsumerTookSomeOver() {
        String acknowledged = redis.xadd(KEYS.stream(), event("view", "p1", "1"));
        String stolen = redis.xadd(KEYS.stream(), event("view", "p1", "2"));
        String kept = redis.xadd(KEYS.stream(), event("view", "p1", "4"));
        Batch batch = readBatch();
        redis.xclaim(KEYS.stream(), Consumer.from(KEYS.group(), "c2"), 0, stolen);
        redis.xack(KEYS.stream(), KEYS.group(), acknowledged);

        BatchCommitter.Result result = committer.commit(batch);

        assertThat(result).isEqualTo(new BatchCommitter.Result(BatchCommitter.Outcome.NOT_ALL_OWNED, List.of(kept), List.of(), null));
        assertThat(allTime.totals()).isEmpty();
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isEqualTo(2);
    }

    @Test
    void findsItsEntriesAmongManyOtherPendingEntriesOfTheSameConsumer() {
        for (int i = 0; i < 10; i++) {
            redis.xadd(KEYS.stream(), event("view", "p1", String.valueOf(i)));
        }
        List<StreamMessage<String, String>> all = read();
        Batch firstAndLast = batchOf(List.of(all.get(0), all.get(9)));

        assertThat(committer.commit(firstAndLast).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(allTime.totals()).isEqualTo(Map.of("count", "2", "sum", "900", "min", "0", "max", "900"));
        assertThat(redis.xpending(KEYS.stream(), KEYS.group()).getCount()).isEqualTo(8);
    }

    @Test
    void seesATakeOverBeyondTheRangeItChecksAtOnce() {
        for (int i = 0; i < 10; i++) {
            redis.xadd(KEYS.stream(), event("view", "p1", String.valueOf(i)));
        }
        List<StreamMessage<String, String>> all = read();
        redis.xclaim(KEYS.stream(), Consumer.from(KEYS.group(), "c2"), 0, all.get(9).getId());

        BatchCommitter.Result result = committer.commit(batchOf(List.of(all.get(0), all.get(9))));

        assertThat(result).isEqualTo(new BatchCommitter.Result(BatchCommitter.Outcome.NOT_ALL_OWNED, List.of(all.get(0).getId()), List.of(), null));
        assertThat(allTime.totals()).isEmpty();
    }

    @Test
    void appliesNothingWhenTheGroupIsGone() {
        redis.xadd(KEYS.stream(), event("view", "p1", "2"));
        Batch batch = readBatch();
        redis.xgroupDestroy(KEYS.stream(), KEYS.group());

        assertThatThrownBy(() -> committer.commit(batch)).hasMessageContaining("NOGROUP");

        assertThat(allTime.totals()).isEmpty();
        assertThat(redis.keys("*")).containsExactly(KEYS.stream());
    }
}
