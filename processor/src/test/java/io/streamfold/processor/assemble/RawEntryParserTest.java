package io.streamfold.processor.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.ParseResult;
import io.streamfold.contract.Rejection.Reason;
import io.streamfold.processor.aggregation.BatchDelta;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.aggregation.ReferenceAggregates;
import io.streamfold.processor.aggregation.SessionDelta;
import io.streamfold.processor.aggregation.UniqueUsers;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.read.RawEntries;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fast reader must never disagree with the contract's parser: whatever it accepts, the parser
 * accepts with the same values; what it declines, the assembler hands to the parser, so every
 * entry ends up exactly as the parser alone would have it. Both judge event times by one fixed
 * clock; the timestamps range a little beyond the accepted window on both sides.
 */
class RawEntryParserTest {

    private static final EventSchema SCHEMA = EventSchema.defaults();
    private static final long NOW = 1_764_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final long OLDEST = SCHEMA.oldestAccepted(NOW);
    private static final long LATEST = SCHEMA.latestAccepted(NOW);
    private static final long HOUR = 3_600_000L;
    private static final String[] VALUES = {"1.25", "-0.01", "+3", "007", "0", "-0", "12.345", "12.340", "1e3", " 5",
            "5 ", "", ".5", "5.", "-", "٣", "１２", "999999999999999999999", "1000000000.00", "1000000000.01",
            "-1000000000.00", "3.0000000000", "twelve", "１"};
    private static final String[] TIMESTAMPS = {"1764000000000", "-5", "+12", "0", "", "1.5", "٣٣", "99999999999999999999",
            "17640000000001764000000000", "12a", "+" + NOW, "0" + NOW, String.valueOf(OLDEST),
            String.valueOf(OLDEST - 1), String.valueOf(LATEST), String.valueOf(LATEST + 1),
            String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE)};
    private static final String[] TEXTS = {"view", "product-ü", "", "x".repeat(256), "x".repeat(257), "ü".repeat(200),
            "ü".repeat(257), "p"};

    @Test
    void acceptsOnlyWhatTheParserAcceptsWithTheSameValues() {
        RawEntryParser reader = new RawEntryParser(SCHEMA, CLOCK);
        EventParser parser = new EventParser(SCHEMA, CLOCK);
        RawEntries entries = new RawEntries(RawEntryParser.fieldNames(SCHEMA));
        SplittableRandom random = new SplittableRandom(11);
        int fast = 0;
        Map<Reason, Integer> rejected = new EnumMap<>(Reason.class);
        for (int i = 0; i < 20_000; i++) {
            Map<String, String> fields = randomEntry(random);
            entries.clear();
            entries.add("1-" + i, fields);
            Batch batch = new Batch(2);
            boolean accepted = reader.tryAdd(entries, 0, batch);
            ParseResult parsed = parser.parse(fields);
            if (accepted) {
                fast++;
                assertThat(parsed).as("accepted %s", fields).isInstanceOf(ParseResult.Parsed.class);
                var event = ((ParseResult.Parsed) parsed).event();
                BatchDelta delta = batch.delta();
                EventColumns columns = delta.events();
                assertThat(columns.size()).isEqualTo(1);
                assertThat(columns.values()[0]).isEqualTo(event.value());
                assertThat(columns.timestamps()[0]).isEqualTo(event.ts());
                assertThat(List.of(delta.dictionary(0).value(columns.ids(0)[0]), delta.dictionary(1).value(columns.ids(1)[0])))
                        .isEqualTo(event.dimensions());
                UniqueUsers expectedUsers = new UniqueUsers();
                expectedUsers.add(event.userId(), event.ts());
                assertThat(delta.uniqueUsers().hour(0)).isEqualTo(expectedUsers.hour(0));
                assertThat(delta.uniqueUsers().users(0).dense()).isEqualTo(expectedUsers.users(0).dense());
                assertThat(delta.sessionDelta().id(0)).isEqualTo(event.sessionId());
            } else if (parsed instanceof ParseResult.Rejected rejection) {
                rejected.merge(rejection.rejection().reason(), 1, Integer::sum);
            }
        }
        assertThat(fast).as("entries taken by the fast path").isGreaterThan(2_000);
        assertThat(rejected).as("times outside the window, declined and left to the parser")
                .hasEntrySatisfying(Reason.TOO_OLD, count -> assertThat(count).isGreaterThan(50))
                .hasEntrySatisfying(Reason.FUTURE_TS, count -> assertThat(count).isGreaterThan(50));
    }

    @Test
    void theAssemblerEndsEveryEntryExactlyAsTheParserAloneWould() {
        EventParser parser = new EventParser(SCHEMA, CLOCK);
        BatchAssembler assembler = new BatchAssembler(new RawEntryParser(SCHEMA, CLOCK), new CpuAggregator(), parser,
                "{events}", 5);
        RawEntries entries = new RawEntries(RawEntryParser.fieldNames(SCHEMA));
        SplittableRandom random = new SplittableRandom(12);
        List<Map<String, String>> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Map<String, String> fields = randomEntry(random);
            all.add(fields);
            entries.add("1-" + i, fields);
        }
        Batch batch = new Batch(2);
        assembler.fill(batch, entries, null, Map.of());

        Batch expected = new Batch(2);
        int letter = 0;
        for (int i = 0; i < all.size(); i++) {
            if (parser.parse(all.get(i)) instanceof ParseResult.Parsed parsed) {
                expected.addEvent(parsed.event());
            } else {
                ParseResult.Rejected rejected = (ParseResult.Rejected) parser.parse(all.get(i));
                Batch.DeadLetter actual = batch.deadLetters().get(letter++);
                assertThat(actual.entryId()).isEqualTo("1-" + i);
                assertThat(actual.reason()).isEqualTo(rejected.rejection().reason().code());
                assertThat(actual.detail()).isEqualTo(rejected.rejection().message());
                assertThat(actual.fields()).isEqualTo(all.get(i));
            }
        }
        expected.delta().aggregate(new CpuAggregator());
        assertThat(letter).isEqualTo(batch.deadLetters().size());
        assertThat(batch.events()).isEqualTo(expected.events()).isGreaterThan(200);
        assertThat(ReferenceAggregates.cellsOf(batch.delta(), SCHEMA.dimensions()))
                .isEqualTo(ReferenceAggregates.cellsOf(expected.delta(), SCHEMA.dimensions()));
        assertThat(sessions(batch.delta().sessionDelta())).isEqualTo(sessions(expected.delta().sessionDelta()));
        assertThat(users(batch.delta().uniqueUsers())).isNotEmpty().isEqualTo(users(expected.delta().uniqueUsers()));
    }

    private static Map<String, String> sessions(SessionDelta sessions) {
        Map<String, String> summaries = new TreeMap<>();
        for (int s = 0; s < sessions.size(); s++) {
            summaries.put(sessions.id(s), sessions.events(s) + "/" + sessions.sum(s) + "/" + sessions.first(s) + "/"
                    + sessions.last(s));
        }
        return summaries;
    }

    /** Per hour, its users' registers in hexadecimal. */
    private static Map<Long, String> users(UniqueUsers users) {
        Map<Long, String> byHour = new TreeMap<>();
        for (int i = 0; i < users.size(); i++) {
            byHour.put(users.hour(i), HexFormat.of().formatHex(users.users(i).dense()));
        }
        return byHour;
    }

    /**
     * Mostly well-formed entries, times from an hour before the window to an hour after it; each
     * field is sometimes missing or replaced by an awkward variant.
     */
    private static Map<String, String> randomEntry(SplittableRandom random) {
        Map<String, String> fields = new LinkedHashMap<>();
        put(random, fields, "event_id", "e-" + random.nextInt(1000), TEXTS);
        put(random, fields, "user_id", "u-" + random.nextInt(100), TEXTS);
        put(random, fields, "session_id", "s-" + random.nextInt(100), TEXTS);
        put(random, fields, "event_type", "type-" + random.nextInt(4), TEXTS);
        put(random, fields, "product", "product-" + random.nextInt(20), TEXTS);
        put(random, fields, "value", (random.nextBoolean() ? "-" : "") + random.nextInt(100_000) + "." + random.nextInt(10)
                + random.nextInt(10), VALUES);
        put(random, fields, "ts", String.valueOf(random.nextLong(OLDEST - HOUR, LATEST + HOUR)), TIMESTAMPS);
        if (random.nextInt(50) == 0) {
            fields.put("encoding", random.nextBoolean() ? "flat" : "json");
        }
        if (random.nextInt(20) == 0) {
            fields.put("note", "an extra field");
        }
        return fields;
    }

    private static void put(SplittableRandom random, Map<String, String> fields, String name, String good, String[] odd) {
        int roll = random.nextInt(40);
        if (roll == 0) {
            return;
        }
        fields.put(name, roll == 1 ? odd[random.nextInt(odd.length)] : good);
    }
}
