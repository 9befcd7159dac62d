package io.streamfold.processor.trim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.streamfold.contract.GroupInfo;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.LettuceSession;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class StreamTrimmerTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final int ENTRIES = 5_000;

    private final RedisServer server;
    private LettuceSession session;
    private RedisCommands<String, String> redis;

    StreamTrimmerTest(RedisServer server) {
        this.server = server;
    }

    @BeforeEach
    void connect() {
        session = new LettuceSession(server.uri());
        redis = session.sync();
        redis.flushall();
    }

    @AfterEach
    void disconnect() {
        session.close();
    }

    @Test
    void keepsEveryEntryWhileNoGroupReadsTheStream() {
        append(ENTRIES);

        assertThat(trimmer(Duration.ZERO, 10_000, 10).pass()).isEqualTo(new StreamTrimmer.Pass(0, null));

        assertThat(redis.xlen(KEYS.stream())).isEqualTo(ENTRIES);
    }

    @Test
    void keepsEveryEntryTheGroupHasNotReadYet() {
        createGroup(KEYS.group());
        append(ENTRIES);

        assertThat(trimmer(Duration.ZERO, 10_000, 10).pass().trimmed()).isZero();

        assertThat(redis.xlen(KEYS.stream())).isEqualTo(ENTRIES);
    }

    @Test
    void trimsWhatTheGroupAcknowledgedAndKeepsEveryEntryStillPendingWithTheGroupsLagKnown() {
        createGroup(KEYS.group());
        List<String> ids = append(ENTRIES);
        readAll(KEYS.group(), "c1");
        redis.xack(KEYS.stream(), KEYS.group(), ids.subList(0, 3_000).toArray(String[]::new));
        String newer = append(1).get(0);

        StreamTrimmer.Pass pass = trimmer(Duration.ZERO, 10_000, 10).pass();

        assertThat(pass.keptFrom()).isEqualTo(ids.get(3_000));
        assertThat(pass.trimmed()).as("whole nodes below the oldest pending entry").isBetween(2_500L, 3_000L);
        assertThat(redis.xlen(KEYS.stream())).isEqualTo(ENTRIES + 1 - pass.trimmed());
        List<String> kept = redis.xrange(KEYS.stream(), Range.create(ids.get(3_000), "+"), Limit.unlimited()).stream()
                .map(StreamMessage::getId).toList();
        List<String> expected = new ArrayList<>(ids.subList(3_000, ENTRIES));
        expected.add(newer);
        assertThat(kept).isEqualTo(expected);
        assertThat(pendingIds()).isEqualTo(ids.subList(3_000, ENTRIES));
        assertThat(group(KEYS.group()).lag()).as("lag after trimming").hasValue(1L);
    }

    @Test
    void keepsWhatTheSlowestGroupHasNotReadEvenWhenTheProcessorsAcknowledgedIt() {
        createGroup(KEYS.group());
        createGroup("audit");
        List<String> ids = append(ENTRIES);
        redis.xack(KEYS.stream(), KEYS.group(), readAll(KEYS.group(), "c1").toArray(String[]::new));
        List<String> audited = redis.xreadgroup(Consumer.from("audit", "a1"), XReadArgs.Builder.count(1_000),
                StreamOffset.lastConsumed(KEYS.stream())).stream().map(StreamMessage::getId).toList();
        redis.xack(KEYS.stream(), "audit", audited.toArray(String[]::new));

        StreamTrimmer.Pass pass = trimmer(Duration.ZERO, 10_000, 10).pass();

        assertThat(pass.keptFrom()).as("the audit group's last delivered entry").isEqualTo(ids.get(999));
        assertThat(redis.xrange(KEYS.stream(), Range.create(ids.get(999), "+"), Limit.unlimited()))
                .hasSize(ENTRIES - 999);
        assertThat(pass.trimmed()).isBetween(800L, 999L);
    }

    @Test
    void keepsAcknowledgedEntriesYoungerThanTheMinimumAge() {
        createGroup(KEYS.group());
        append(ENTRIES);
        redis.xack(KEYS.stream(), KEYS.group(), readAll(KEYS.group(), "c1").toArray(String[]::new));

        assertThat(trimmer(Duration.ofHours(1), 10_000, 10).pass().trimmed()).isZero();
        assertThat(redis.xlen(KEYS.stream())).isEqualTo(ENTRIES);

        assertThat(trimmer(Duration.ZERO, 10_000, 10).pass().trimmed()).isGreaterThan(ENTRIES - 200L);
    }

    @Test
    void trimsInCallsOfAtMostTheLimitUntilACallTrimsNothingOrThePassHasMadeItsCalls() {
        createGroup(KEYS.group());
        append(ENTRIES);
        redis.xack(KEYS.stream(), KEYS.group(), readAll(KEYS.group(), "c1").toArray(String[]::new));

        long firstPass = trimmer(Duration.ZERO, 1_000, 2).pass().trimmed();
        assertThat(firstPass).as("two calls of at most 1,000").isBetween(1_800L, 2_000L);
        assertThat(redis.xlen(KEYS.stream())).isEqualTo(ENTRIES - firstPass);

        long secondPass = trimmer(Duration.ZERO, 1_000, 10).pass().trimmed();
        assertThat(redis.xlen(KEYS.stream())).as("all but the last node").isEqualTo(ENTRIES - firstPass - secondPass)
                .isLessThan(200);
    }

    @Test
    void trimsAllItMayInOnePassWhenTheStreamsNodesDoNotFillTheLimitExactly() {
        createGroup(KEYS.group());
        List<Map<String, String>> events = new RandomEvents(5, 50).next(ENTRIES); // ~40 such entries fill a 4 KB node
        events.forEach(event -> redis.xadd(KEYS.stream(), event));
        redis.xack(KEYS.stream(), KEYS.group(), readAll(KEYS.group(), "c1").toArray(String[]::new));

        StreamTrimmer.Pass pass = trimmer(Duration.ZERO, 1_000, 100).pass();

        assertThat(redis.xlen(KEYS.stream())).as("all but the last node").isEqualTo(ENTRIES - pass.trimmed())
                .isLessThan(100);
    }

    private StreamTrimmer trimmer(Duration minAge, long limit, int calls) {
        return new StreamTrimmer(redis, KEYS, minAge, limit, calls);
    }

    private void createGroup(String group) {
        redis.xgroupCreate(StreamOffset.from(KEYS.stream(), "0"), group, XGroupCreateArgs.Builder.mkstream());
    }

    private List<String> append(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(redis.xadd(KEYS.stream(), Map.of("event_id", "e" + i, "value", "1.00")));
        }
        return ids;
    }

    private List<String> readAll(String group, String consumer) {
        return redis.xreadgroup(Consumer.from(group, consumer), XReadArgs.Builder.count(100_000),
                StreamOffset.lastConsumed(KEYS.stream())).stream().map(StreamMessage::getId).toList();
    }

    private List<String> pendingIds() {
        return redis.xpending(KEYS.stream(), Consumer.from(KEYS.group(), "c1"), Range.create("-", "+"), Limit.from(100_000))
                .stream().map(PendingMessage::getId).toList();
    }

    private GroupInfo group(String name) {
        return GroupInfo.find(redis.xinfoGroups(KEYS.stream()), name).orElseThrow();
    }
}
