package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.AllTimeQuery;
import io.streamfold.contract.Event;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.ParseResult;
import io.streamfold.contract.SessionSummary;
import io.streamfold.contract.ValueHistogram;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.ReferenceAggregates;
import io.streamfold.processor.aggregation.UniqueUsers;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the commit script leaves in Redis, key by key, against the naive {@link ReferenceAggregates}:
 * all-time, minute-bin and histogram hashes, sessions, unique users, expiries, the cardinality guard.
 */
@RedisTest
class CommittedAggregatesTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final EventSchema SCHEMA = EventSchema.defaults();
    private static final String ADD_EVENTS = """
            for i = 1, tonumber(ARGV[1]) do
              redis.call('XADD', KEYS[1], '*', 'event_id', 'e' .. i, 'user_id', 'user-' .. i, 'session_id', 's' .. (i % 100),
                  'event_type', 'view', 'product', 'p' .. (i % 7), 'value', '1.00', 'ts', ARGV[2])
            end""";

    private final EventParser parser = new EventParser(SCHEMA);

    @RegisterExtension
    final RedisConnection connection;

    private RedisCommands<String, String> redis;
    private AllTimeReads allTime;

    CommittedAggregatesTest(RedisServer server) {
        this.connection = RedisConnection.withEmptyStream(() -> server, KEYS);
    }

    @BeforeEach
    void connect() {
        redis = connection.sync();
        allTime = new AllTimeReads(redis, KEYS);
    }

    @Test
    void everyAggregateHashHoldsExactlyWhatTheReferenceComputesFromAllEvents() {
        long now = System.currentTimeMillis();
        List<Map<String, String>> entries = new RandomEvents(5, 40, now).next(6_000);
        entries.forEach(fields -> redis.xadd(KEYS.stream(), fields));
        BatchCommitter committer = committer("c1", BatchCommitterTest.SETTINGS);
        ReferenceAggregates reference = new ReferenceAggregates(SCHEMA.dimensions());
        SplittableRandom random = new SplittableRandom(3);

        for (List<StreamMessage<String, String>> read = read(1 + random.nextInt(700)); !read.isEmpty();
                read = read(1 + random.nextInt(700))) {
            Batch batch = batchOf(read);
            assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
            read.forEach(message -> reference.add(((ParseResult.Parsed) parser.parse(message.getBody())).event()));
        }

        assertThat(aggregateHashes()).isEqualTo(reference.redisImage(KEYS));
        assertThat(storedSessions()).isEqualTo(reference.sessions()).hasSizeGreaterThan(30);
        assertThat(redis.zcard(KEYS.unsettledMinutes())).as("only the last minutes wait to be settled").isBetween(1L, 4L);
    }

    @Test
    void settlingMinutesIntoAllTimeChangesNothingAReaderSeesAndAddsEachMinuteOnce() {
        long now = System.currentTimeMillis();
        long nowMinute = Math.floorDiv(now, 60_000L);
        redis.set(KEYS.settledThrough(), String.valueOf(nowMinute - 120)); // every minute of the hour before now unsettled
        List<Map<String, String>> entries = new RandomEvents(7, 40, now).next(6_000);
        entries.forEach(fields -> redis.xadd(KEYS.stream(), fields));
        BatchCommitter committer = committer("c1", BatchCommitterTest.SETTINGS);
        ReferenceAggregates reference = new ReferenceAggregates(SCHEMA.dimensions());
        SplittableRandom random = new SplittableRandom(5);
        int commits = 0;
        for (List<StreamMessage<String, String>> read = read(1 + random.nextInt(150)); !read.isEmpty();
                read = read(1 + random.nextInt(150))) {
            committer.commit(batchOf(read));
            commits++;
            read.forEach(message -> reference.add(((ParseResult.Parsed) parser.parse(message.getBody())).event()));
            assertThat(allTime.totals()).as("after commit %d", commits).isEqualTo(reference.redisImage(KEYS).get(KEYS.totals()));
        }

        assertThat(commits).as("enough commits to settle every finished minute, four at a time").isGreaterThan(30);
        assertThat(aggregateHashes()).isEqualTo(reference.redisImage(KEYS));
        List<String> unsettled = redis.zrange(KEYS.unsettledMinutes(), 0, -1);
        assertThat(unsettled).as("only minutes not yet two minutes over").isNotEmpty()
                .allSatisfy(minute -> assertThat(Long.parseLong(minute)).isGreaterThan(nowMinute - 3));
        long settledThrough = Long.parseLong(redis.get(KEYS.settledThrough()));
        assertThat(settledThrough).isLessThan(Long.parseLong(unsettled.get(0))).isGreaterThanOrEqualTo(nowMinute - 3);
        long settledEvents = reference.cells().entrySet().stream()
                .filter(cell -> cell.getKey().endsWith("|total|") && !unsettled.contains(cell.getKey().split("\\|")[0]))
                .mapToLong(cell -> cell.getValue().count()).sum();
        assertThat(redis.hget(KEYS.totals(), KeyLayout.COUNT)).as("the all-time hash holds the settled minutes exactly")
                .isEqualTo(String.valueOf(settledEvents));
        long oldest = Long.parseLong(reference.cells().keySet().iterator().next().split("\\|")[0]);
        long expiry = (oldest + 1) * 60 + Duration.ofDays(7).toSeconds();
        long nowSeconds = System.currentTimeMillis() / 1000;
        assertThat(redis.ttl(KEYS.minuteBin(oldest))).as("a settled minute's bin expires retention after the minute")
                .isBetween(expiry - nowSeconds - 2, expiry - nowSeconds + 2);
        assertThat(redis.ttl(KEYS.minuteBin(Long.parseLong(unsettled.get(0))))).as("an unsettled one never").isEqualTo(-1);
    }

    @Test
    void sumsStayExactBeyondWhatADoubleHoldsExactly() {
        long ts = System.currentTimeMillis();
        long value = SCHEMA.maxAbsValue() - 1;
        int perBatch = 40_001;
        BatchCommitter committer = committer("c1", BatchCommitterTest.SETTINGS);
        List<SessionSummary> stored = new ArrayList<>();
        List<List<String>> cellSums = new ArrayList<>();
        long minute = Math.floorDiv(ts, 60_000L);
        for (int round = 0; round < 5; round++) {
            redis.xadd(KEYS.stream(), Map.of("event_id", "e" + round));
            Batch batch = new Batch(SCHEMA.dimensions().size());
            TestBatches.addEntryId(batch, read(1).get(0).getId());
            for (int i = 0; i < (round == 4 ? 3 * perBatch : perBatch); i++) {
                batch.addEvent(new Event("e", "u", "long-session", List.of("view", "p"), round >= 3 ? -value : value,
                        ts + round));
            }
            batch.delta().aggregate(new CpuAggregator());
            assertThat(committer.commit(batch).outcome()).isEqualTo(BatchCommitter.Outcome.APPLIED);
            stored.add(storedSessions().get("long-session"));
            cellSums.add(List.of(allTime.totals().get(KeyLayout.SUM), allTime.by(KeyLayout.SUM, "product").get("p"),
                    redis.hget(KEYS.minuteBin(minute), KeyLayout.SUM),
                    redis.hget(KEYS.minuteBin(minute), KeyLayout.binField(KeyLayout.SUM, "product", "p"))));
        }

        long threeBatches = 3L * perBatch * value; // odd and above 2^53: no double holds it
        assertThat(threeBatches).isGreaterThan(1L << 53).isOdd();
        assertThat(stored.get(2)).isEqualTo(new SessionSummary(3L * perBatch, threeBatches, ts, ts + 2));
        assertThat(stored.get(3)).isEqualTo(new SessionSummary(4L * perBatch, 2L * perBatch * value, ts, ts + 3));
        assertThat(stored.get(4)).as("a larger negative sum turns it negative")
                .isEqualTo(new SessionSummary(7L * perBatch, -perBatch * value, ts, ts + 4));
        assertThat(cellSums.get(2)).as("all-time and minute sums, in total and per value")
                .containsOnly(String.valueOf(threeBatches));
        assertThat(cellSums.get(3)).containsOnly(String.valueOf(2L * perBatch * value));
        assertThat(cellSums.get(4)).containsOnly(String.valueOf(-perBatch * value));
    }

    @Test
    void minuteBinsExpireRetentionAfterTheirMinuteAndSessionsAfterTheGap() {
        long ts = System.currentTimeMillis() - 120_000;
        Map<String, String> fields = new TreeMap<>(new RandomEvents(1, 3).next());
        fields.put("ts", String.valueOf(ts));
        redis.xadd(KEYS.stream(), fields);

        committer("c1", BatchCommitterTest.SETTINGS).commit(batchOf(read(10)));

        long minute = Math.floorDiv(ts, 60_000L);
        long binExpiry = (minute + 1) * 60 + Duration.ofDays(7).toSeconds();
        long nowSeconds = System.currentTimeMillis() / 1000;
        assertThat(redis.ttl(KEYS.minuteBin(minute))).isBetween(binExpiry - nowSeconds - 2, binExpiry - nowSeconds + 2);
        assertThat(redis.ttl(KEYS.minuteHistogram(minute))).isBetween(binExpiry - nowSeconds - 2, binExpiry - nowSeconds + 2);
        assertThat(redis.hkeys(KEYS.minuteBin(minute)).subList(0, 4)).as("the totals first in the compact hash")
                .containsExactly(KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX);
        long window = Long.parseLong(redis.get(KEYS.sessionWindow()));
        long sessionsExpire = (window + 2) * 1800;
        assertThat(window).as("the window of a 30-minute gap").isEqualTo(nowSeconds / 1800);
        assertThat(redis.ttl(KEYS.sessions(window))).isBetween(sessionsExpire - nowSeconds - 2, sessionsExpire - nowSeconds + 2);
        assertThat(redis.hget(KEYS.sessions(window), fields.get("session_id"))).isNotNull();
        assertThat(redis.ttl(KEYS.totals())).isEqualTo(-1);
        long hourExpiry = (UniqueUsers.hourOf(ts) + 1) * 3600 + Duration.ofDays(7).toSeconds();
        assertThat(redis.ttl(KEYS.usersInHour(UniqueUsers.hourOf(ts))))
                .isBetween(hourExpiry - nowSeconds - 2, hourExpiry - nowSeconds + 2);
    }

    @Test
    void writesNoSessionWhenSessionsAreSwitchedOff() {
        BatchCommitter.Settings withoutSessions = new BatchCommitter.Settings(1000, Duration.ofDays(7),
                Duration.ofMinutes(5), false, Duration.ofMinutes(30), 10_000);
        new RandomEvents(2, 5).next(50).forEach(fields -> redis.xadd(KEYS.stream(), fields));

        committer("c1", withoutSessions).commit(batchOf(read(50)));

        assertThat(ScanIterator.scan(redis, ScanArgs.Builder.matches(KEYS.allSessions())).stream().toList()).isEmpty();
        assertThat(allTime.totals().get(KeyLayout.COUNT)).isEqualTo("50");
    }

    @Test
    void valuesBeyondADimensionsLimitAreCountedAsOtherByEveryProcessor() {
        BatchCommitter.Settings limitOfThree = new BatchCommitter.Settings(1000, Duration.ofDays(7),
                Duration.ofMinutes(5), true, Duration.ofMinutes(30), 3);
        String ts = String.valueOf(System.currentTimeMillis());
        Map<String, String> values = Map.of("p1", "1", "p2", "1", "p3", "1", "p4", "7", "p5", "3", "p9", "9");
        for (String product : List.of("p1", "p2", "p3", "p4", "p5", "p4")) {
            redis.xadd(KEYS.stream(), Map.of("event_id", "e", "user_id", "u", "session_id", "s", "event_type", "view",
                    "product", product, "value", values.get(product), "ts", ts));
        }
        BatchCommitter.Result first = committer("c1", limitOfThree).commit(batchOf(read(6)));
        long minute = Math.floorDiv(Long.parseLong(ts), 60_000L);
        assertThat(List.of(allTime.by(KeyLayout.MIN, "product").get(KeyLayout.OTHER), allTime.by(KeyLayout.MAX, "product").get(KeyLayout.OTHER),
                redis.hget(KEYS.minuteBin(minute), KeyLayout.binField(KeyLayout.MIN, "product", KeyLayout.OTHER)),
                redis.hget(KEYS.minuteBin(minute), KeyLayout.binField(KeyLayout.MAX, "product", KeyLayout.OTHER))))
                .as("two values folded in one batch: the lower minimum and the higher maximum of both")
                .containsExactly("300", "700", "300", "700");
        for (String product : List.of("p1", "p9")) {
            redis.xadd(KEYS.stream(), Map.of("event_id", "e", "user_id", "u", "session_id", "s", "event_type", "view",
                    "product", product, "value", values.get(product), "ts", ts));
        }
        BatchCommitter.Result second = committer("c2", limitOfThree).commit(batchOf(readAs("c2", 2)));

        assertThat(first.foldedEvents()).containsExactly(0L, 3L);
        assertThat(second.foldedEvents()).containsExactly(0L, 1L);
        assertThat(allTime.by(KeyLayout.COUNT, "product"))
                .isEqualTo(Map.of("p1", "2", "p2", "1", "p3", "1", KeyLayout.OTHER, "4"));
        assertThat(allTime.by(KeyLayout.SUM, "product"))
                .isEqualTo(Map.of("p1", "200", "p2", "100", "p3", "100", KeyLayout.OTHER, "2600"));
        assertThat(List.of(allTime.by(KeyLayout.MIN, "product").get(KeyLayout.OTHER), allTime.by(KeyLayout.MAX, "product").get(KeyLayout.OTHER)))
                .containsExactly("300", "900");
        assertThat(redis.hget(KEYS.minuteBin(minute), KeyLayout.binField(KeyLayout.COUNT, "product", KeyLayout.OTHER)))
                .isEqualTo("4");
        assertThat(allTime.histogram("product", KeyLayout.OTHER)).isEqualTo(Map.of(
                String.valueOf(ValueHistogram.bucket(700)), "2", String.valueOf(ValueHistogram.bucket(300)), "1",
                String.valueOf(ValueHistogram.bucket(900)), "1"));
    }

    @Test
    void countsUniqueUsersWithinTwoPercentAtAHundredThousandUsers() {
        long ts = System.currentTimeMillis();
        redis.eval(ADD_EVENTS, ScriptOutputType.STATUS, new String[] {KEYS.stream()}, "100000", String.valueOf(ts));
        BatchCommitter committer = committer("c1", BatchCommitterTest.SETTINGS);
        for (List<StreamMessage<String, String>> read = read(5_000); !read.isEmpty(); read = read(5_000)) {
            committer.commit(batchOf(read));
        }

        long hourly = redis.pfcount(KEYS.usersInHour(UniqueUsers.hourOf(ts)));
        long daily = redis.pfcount(KEYS.usersOnDay(Math.floorDiv(ts, 86_400_000L)));

        assertThat(Math.abs(hourly - 100_000)).isLessThanOrEqualTo(2_000);
        assertThat(daily).isEqualTo(hourly);
        assertThat(allTime.totals().get(KeyLayout.COUNT)).isEqualTo("100000");
    }

    @Test
    void theHourAndDayHyperLogLogsHoldExactlyTheRegistersPfaddOfEachUserWouldLeave() {
        long now = System.currentTimeMillis();
        long[] times = {now, now - 3_600_000};
        SplittableRandom random = new SplittableRandom(3);
        Map<Long, List<String>> usersByHour = new TreeMap<>();
        for (int i = 0; i < 3_000; i++) {
            long ts = times[i % 2];
            String user = (random.nextBoolean() ? "user-" : "usér-") + random.nextInt(1_500);
            usersByHour.computeIfAbsent(UniqueUsers.hourOf(ts), hour -> new ArrayList<>()).add(user);
            redis.xadd(KEYS.stream(), Map.of("event_id", "e" + i, "user_id", user, "session_id", "s", "event_type", "view",
                    "product", "p", "value", "1", "ts", String.valueOf(ts)));
        }
        BatchCommitter committer = committer("c1", BatchCommitterTest.SETTINGS);
        redis.configResetstat();
        int batches = 0;
        // batches of 100 send each hour's 50 users as ids, batches of 700 their 350 as a sketch
        for (List<StreamMessage<String, String>> read = read(100); !read.isEmpty();
                read = read(++batches % 2 == 0 ? 100 : 700)) {
            committer.commit(batchOf(read));
        }
        assertThat(redis.info("commandstats")).as("both ways were taken").contains("cmdstat_pfadd:", "cmdstat_pfmerge:");

        usersByHour.forEach((hour, users) -> {
            redis.pfadd("reference:hour:" + hour, users.toArray(String[]::new));
            redis.pfadd("reference:day:" + Math.floorDiv(hour, 24), users.toArray(String[]::new));
        });
        for (long hour : usersByHour.keySet()) {
            assertThat(sameRegisters(KEYS.usersInHour(hour), "reference:hour:" + hour)).as("hour %d", hour).isTrue();
            long day = Math.floorDiv(hour, 24);
            assertThat(sameRegisters(KEYS.usersOnDay(day), "reference:day:" + day)).as("day %d", day).isTrue();
        }
        assertThat(redis.exists(KEYS.usersBeingMerged())).isZero();
    }

    /**
     * Whether two HyperLogLogs have the same registers, whatever encoding and cached count each holds: each is
     * merged with an empty dense one (a dense source makes the result dense) and the registers compared.
     */
    private boolean sameRegisters(String key, String other) {
        return redis.eval("""
                redis.call('SET', 'empty', 'HYLL' .. string.rep('\\0', 11) .. '\\128' .. string.rep('\\0', 12288))
                redis.call('PFMERGE', 'dense:1', KEYS[1], 'empty')
                redis.call('PFMERGE', 'dense:2', KEYS[2], 'empty')
                local registers = {}
                for k = 1, 2 do
                  local value = redis.call('GET', 'dense:' .. k)
                  redis.call('DEL', 'dense:' .. k)
                  registers[k] = string.sub(value, 17)
                end
                redis.call('DEL', 'empty')
                return registers[1] == registers[2]""", ScriptOutputType.BOOLEAN, key, other);
    }

    private BatchCommitter committer(String consumer, BatchCommitter.Settings settings) {
        return new BatchCommitter(redis, KEYS, SCHEMA.dimensions(), consumer, settings, Clock.systemUTC());
    }

    private List<StreamMessage<String, String>> read(int count) {
        return readAs("c1", count);
    }

    private List<StreamMessage<String, String>> readAs(String consumer, int count) {
        return redis.xreadgroup(Consumer.from(KEYS.group(), consumer), XReadArgs.Builder.count(count),
                StreamOffset.lastConsumed(KEYS.stream()));
    }

    private Batch batchOf(List<StreamMessage<String, String>> messages) {
        Batch batch = new Batch(SCHEMA.dimensions().size());
        for (StreamMessage<String, String> message : messages) {
            TestBatches.addEntryId(batch, message.getId());
            Event event = ((ParseResult.Parsed) parser.parse(message.getBody())).event();
            batch.addEvent(event);
        }
        batch.delta().aggregate(new CpuAggregator());
        return batch;
    }

    /**
     * The sessions as a reader finds them (the window of the last commit with sessions, then the one before):
     * session id → summary.
     */
    private Map<String, SessionSummary> storedSessions() {
        long window = Long.parseLong(redis.get(KEYS.sessionWindow()));
        Map<String, SessionSummary> sessions = new TreeMap<>();
        for (long w = window - 1; w <= window; w++) {
            connection.binary().hgetall(KEYS.sessions(w)).forEach((id, stored) -> sessions.put(id, SessionSummary.decode(stored)));
        }
        return sessions;
    }

    /**
     * Every aggregate hash the commits wrote (not sessions, stream, dead letters, ledger, HyperLogLogs), key → field →
     * value, the all-time ones as readers see them ({@link AllTimeReads}: with the unsettled minutes added).
     */
    private Map<String, Map<String, String>> aggregateHashes() {
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        for (String key : ScanIterator.scan(redis, ScanArgs.Builder.limit(1_000)).stream().toList()) {
            if (redis.type(key).equals("hash") && !key.startsWith(KEYS.allSessions().replace("*", ""))
                    && !key.equals(KEYS.ledger())) {
                hashes.put(key, new TreeMap<>(redis.hgetall(key)));
            }
        }
        // every value a bin or an all-time hash holds has an all-time histogram to read
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals().histogram();
        for (String dimension : SCHEMA.dimensions()) {
            query.stats(dimension, KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX);
            Set<String> values = new TreeSet<>(hashes.getOrDefault(KEYS.countsBy(dimension), Map.of()).keySet());
            String countField = KeyLayout.binField(KeyLayout.COUNT, dimension, "");
            hashes.forEach((key, hash) -> {
                if (key.startsWith(KEYS.stream() + ":bin:")) {
                    hash.keySet().stream().filter(field -> field.startsWith(countField))
                            .forEach(field -> values.add(field.substring(countField.length())));
                }
            });
            values.forEach(value -> query.histogram(dimension, value));
        }
        hashes.keySet().removeIf(key -> key.startsWith(KEYS.stream() + ":agg:") || key.startsWith(KEYS.histogram()));
        allTime.read(query).forEach((key, hash) -> {
            if (!hash.isEmpty()) {
                hashes.put(key, hash);
            }
        });
        return hashes;
    }
}
