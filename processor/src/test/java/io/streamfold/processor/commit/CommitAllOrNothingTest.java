package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.Event;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.ValueHistogram;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A commit applies all of its batch or nothing: whatever could fail is checked before the first write, variadic calls
 * stay below Lua's unpack limit, and the entries are acknowledged last. Each case here once left a batch acknowledged
 * but applied in part (issue 26).
 */
@RedisTest
class CommitAllOrNothingTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final EventSchema SCHEMA = EventSchema.defaults();
    private static final long NOW = System.currentTimeMillis();
    private static final long NOW_MINUTE = Math.floorDiv(NOW, 60_000L);

    @RegisterExtension
    final RedisConnection connection;

    private RedisCommands<String, String> redis;
    private AllTimeReads allTime;
    private BatchCommitter committer;

    CommitAllOrNothingTest(RedisServer server) {
        this.connection = RedisConnection.withEmptyStream(() -> server, KEYS);
    }

    @BeforeEach
    void connect() {
        redis = connection.sync();
        allTime = new AllTimeReads(redis, KEYS);
        committer = new BatchCommitter(redis, KEYS, SCHEMA.dimensions(), "c1", BatchCommitterTest.SETTINGS,
                Clock.systemUTC());
    }

    private static Map<String, String> event(String product, String value, long ts) {
        return Map.of("event_id", "e", "user_id", "u", "session_id", "s", "event_type", "view", "product", product,
                "value", value, "ts", String.valueOf(ts));
    }

    private List<StreamMessage<String, String>> read() {
        return redis.xreadgroup(Consumer.from(KEYS.group(), "c1"), XReadArgs.Builder.count(10_000),
                StreamOffset.lastConsumed(KEYS.stream()));
    }

    /** Every key and its serialized value (DUMP): equal snapshots mean nothing was written. */
    private Map<String, String> snapshot() {
        Map<String, String> keys = new TreeMap<>();
        for (String key : redis.keys("*")) {
            keys.put(key, Arrays.toString(redis.dump(key)));
        }
        return keys;
    }

    private long pending() {
        return redis.xpending(KEYS.stream(), KEYS.group()).getCount();
    }

    @Test
    void aDeadLetterOfAnEntryWithThousandsOfFieldsKeepsThemAllInOneField() throws Exception {
        Map<String, String> wide = new LinkedHashMap<>();
        for (int f = 0; f < 5_000; f++) {
            wide.put("field-" + f, "value \"" + f + "\"");
        }
        redis.xadd(KEYS.stream(), wide); // no event field at all: a dead letter
        redis.xadd(KEYS.stream(), event("p1", "1.25", NOW));

        assertThat(committer.commit(BatchCommitterTest.batchOf(read())).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        List<StreamMessage<String, String>> letters = redis.xrange(KEYS.deadLetters(), Range.create("-", "+"));
        assertThat(letters).hasSize(1);
        Map<String, String> kept = new ObjectMapper().readValue(letters.get(0).getBody().get("dlq_fields"),
                new TypeReference<LinkedHashMap<String, String>>() { });
        assertThat(kept).isEqualTo(wide);
        assertThat(allTime.totals()).containsEntry("count", "1");
        assertThat(pending()).isZero();
    }

    @Test
    void aBatchTouchingThousandsOfMinutesIsAppliedInFull() {
        redis.xadd(KEYS.stream(), event("p1", "1.00", NOW)); // one entry to acknowledge; the batch holds 4,500 events
        Batch batch = new Batch(SCHEMA.dimensions().size());
        TestBatches.addEntryId(batch, read().get(0).getId());
        for (int m = 0; m < 4_500; m++) { // minutes ahead of the settled ones (a future skew of days): all unsettled
            batch.addEvent(new Event("e" + m, "u" + m, "s" + m, List.of("view", "p1"), 100, NOW + (m + 3) * 60_000L));
        }
        batch.delta().aggregate(new CpuAggregator());

        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);

        assertThat(redis.zcard(KEYS.unsettledMinutes())).isEqualTo(4_500);
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "4500", "sum", "450000", "min", "100", "max", "100"));
        assertThat(pending()).isZero();
    }

    @Test
    void aMinuteBinWhoseSumWouldPassSixtyFourBitsRefusesTheWholeCommitUntilMended() {
        String nearTheLimit = "9223372036854775000"; // + 1000 passes 2^63 - 1
        redis.hset(KEYS.minuteBin(NOW_MINUTE), "sum", nearTheLimit);
        redis.xadd(KEYS.stream(), event("p1", "10.00", NOW));
        redis.xadd(KEYS.stream(), event("p2", "2.00", NOW - 120_000)); // another minute, another product
        Batch batch = BatchCommitterTest.batchOf(read());
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(batch)).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining(KEYS.minuteBin(NOW_MINUTE) + " field sum: increment or decrement would overflow")
                .hasMessageEndingWith("until that is mended");

        assertThat(snapshot()).as("nothing written, nothing acknowledged").isEqualTo(before);
        assertThat(pending()).isEqualTo(2);

        redis.hset(KEYS.minuteBin(NOW_MINUTE), "sum", "0");
        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(allTime.totals()).isEqualTo(Map.of("count", "2", "sum", "1200", "min", "200", "max", "1000"));
        assertThat(pending()).isZero();
    }

    @Test
    void aHistogramBucketThatIsNoIntegerRefusesTheWholeCommitTakingBackTheBucketsAddedBeforeIt() {
        String bucket = String.valueOf(ValueHistogram.bucket(1000)); // the bucket of 10.00
        redis.hset(KEYS.minuteHistogram(NOW_MINUTE), bucket, "5"); // added to (then taken back) before p1's fails
        redis.hset(KEYS.minuteHistogram(NOW_MINUTE, "product", "p1"), bucket, "edited");
        redis.xadd(KEYS.stream(), event("p1", "10.00", NOW));
        Batch batch = BatchCommitterTest.batchOf(read());
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(batch)).hasMessageContaining(
                KEYS.minuteHistogram(NOW_MINUTE, "product", "p1") + " field " + bucket + ": hash value is not an integer");
        assertThat(snapshot()).as("the total's bucket and the event type's new one taken back").isEqualTo(before);
        assertThat(pending()).isEqualTo(1);

        redis.del(KEYS.minuteHistogram(NOW_MINUTE, "product", "p1"));
        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(allTime.totals()).containsEntry("count", "1").containsEntry("sum", "1000");
        assertThat(redis.hget(KEYS.minuteHistogram(NOW_MINUTE), bucket)).isEqualTo("6");
    }

    @Test
    void aBinFieldThatIsNoIntegerRefusesTheWholeCommitUntilMended() {
        redis.hset(KEYS.minuteBin(NOW_MINUTE), "count:product:p1", "edited");
        redis.xadd(KEYS.stream(), event("p1", "10.00", NOW));
        Batch batch = BatchCommitterTest.batchOf(read());
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(batch)).hasMessageContaining(
                KEYS.minuteBin(NOW_MINUTE) + " field count:product:p1: hash value is not an integer");
        assertThat(snapshot()).isEqualTo(before);

        redis.hdel(KEYS.minuteBin(NOW_MINUTE), "count:product:p1");
        assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(allTime.totals()).containsEntry("count", "1").containsEntry("sum", "1000");
    }

    @Test
    void aFailureLateInABatchTakesBackEveryBinWriteBeforeIt() {
        for (int e = 0; e < 30; e++) {
            redis.xadd(KEYS.stream(), event("p" + e % 10, (e + 1) + ".00", NOW));
        }
        assertThat(committer.commit(BatchCommitterTest.batchOf(read())).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        // Existing cells with new minimums, maximums and buckets, new cells, and one maximum edited by hand.
        for (int e = 0; e < 30; e++) {
            redis.xadd(KEYS.stream(), event("p" + e % 15, e % 2 == 0 ? "-" + (e * 1000) + ".25" : (e * 77) + ".50", NOW));
        }
        Batch second = BatchCommitterTest.batchOf(read());
        String p7Max = redis.hget(KEYS.minuteBin(NOW_MINUTE), "max:product:p7");
        redis.hset(KEYS.minuteBin(NOW_MINUTE), "max:product:p7", "high");
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(second))
                .hasMessageContaining(KEYS.minuteBin(NOW_MINUTE) + " field max:product:p7 holds high, not an integer");

        assertThat(snapshot()).as("every bin, histogram and field as before").isEqualTo(before);
        assertThat(pending()).isEqualTo(30);
        redis.hset(KEYS.minuteBin(NOW_MINUTE), "max:product:p7", p7Max);
        assertThat(committer.commit(second).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
        assertThat(allTime.totals()).containsEntry("count", "60");
    }

    /** Keys the commit writes to, made by hand with another type. */
    @ParameterizedTest
    @ValueSource(strings = {"dead letters", "unsettled minutes", "users of the hour", "minute histogram", "ledger"})
    void aKeyOfAnotherTypeRefusesTheWholeCommit(String which) {
        long hour = Math.floorDiv(NOW, 3_600_000L);
        Map<String, String> invalid = new HashMap<>(event("p1", "1.00", NOW));
        invalid.remove("ts");
        redis.xadd(KEYS.stream(), event("p1", "1.00", NOW));
        redis.xadd(KEYS.stream(), invalid);
        Batch batch = BatchCommitterTest.batchOf(read());
        switch (which) {
            case "dead letters" -> redis.set(KEYS.deadLetters(), "a string");
            case "unsettled minutes" -> redis.set(KEYS.unsettledMinutes(), "a string");
            case "users of the hour" -> redis.hset(KEYS.usersInHour(hour), "a", "hash");
            case "minute histogram" -> redis.set(KEYS.minuteHistogram(NOW_MINUTE), "a string");
            default -> redis.set(KEYS.ledger(), "a string");
        }
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(batch)).isInstanceOf(RedisCommandExecutionException.class);

        assertThat(snapshot()).as("nothing written, nothing acknowledged").isEqualTo(before);
        assertThat(pending()).isEqualTo(2);
    }

    @Test
    void aStringThatIsNoHyperLogLogWhereUsersAreCountedRefusesTheWholeCommit() {
        long hour = Math.floorDiv(NOW, 3_600_000L);
        redis.set(KEYS.usersOnDay(Math.floorDiv(hour, 24)), "not a sketch");
        redis.xadd(KEYS.stream(), event("p1", "1.00", NOW));
        Batch batch = BatchCommitterTest.batchOf(read());
        Map<String, String> before = snapshot();

        assertThatThrownBy(() -> committer.commit(batch))
                .hasMessageContaining(KEYS.usersOnDay(Math.floorDiv(hour, 24)) + " holds no HyperLogLog");

        assertThat(snapshot()).isEqualTo(before);
    }
}
