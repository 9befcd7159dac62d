package io.streamfold.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.SessionSummary;
import io.streamfold.testsupport.ExpectedAggregates;
import io.streamfold.testsupport.RedisOptions;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Redis memory per day of retention of the aggregates. A fresh Redis; one day of events stamped
 * evenly over the 24 hours before now (less two minutes), {@code perMinute} a minute, from the
 * event generator (its five event types, 50 products, {@code users} users); one packaged processor
 * drains them; the aggregates are checked, the stream and its dead letters are deleted (the batch
 * ledger, a field per consumer, stays and counts as "other"), and what remains is measured with
 * {@code INFO memory} and, by key kind, with {@code MEMORY USAGE key SAMPLES 0}. Arguments:
 * {@code perMinute=1000 users=10000} and any {@code streamfold.*} setting passed to the processor.
 */
public final class MemoryBenchmark {

    private static final int PIPELINE = 1_000;
    private static final StringCodec CODEC = StringCodec.UTF8;
    private static final double MIB = 1024 * 1024;
    /** The processor's default session gap (streamfold.aggregation.session-gap). */
    private static final Duration SESSION_GAP = Duration.ofMinutes(30);

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        int perMinute = arguments.integer("perMinute", 1_000);
        int users = arguments.integer("users", 10_000);
        int events = Math.multiplyExact(perMinute, PreloadedDay.MINUTES_PER_DAY);
        KeyLayout keys = KeyLayout.defaults();
        EventSchema schema = EventSchema.defaults();
        System.out.printf("memory: %,d events a minute over 24 hours = %,d events, %d products, %,d users, settings %s%n",
                perMinute, events, PreloadedDay.PRODUCTS, users, arguments.settings());
        try (RedisServer server = RedisServers.start(RedisOptions.defaults())) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                long empty = usedMemory(redis);
                System.out.printf("  used_memory, empty server: %,d bytes; hash-max-listpack-entries %s, hash-max-listpack-value %s%n",
                        empty, config(redis, "hash-max-listpack-entries"), config(redis, "hash-max-listpack-value"));

                PreloadedDay day = PreloadedDay.load(connection, server.uri(), keys, schema, perMinute, users, arguments.settings());
                long from = day.from();
                long to = day.to();

                long streamBytes = memoryUsage(connection, List.of(keys.stream())).get(0);
                System.out.printf("  the stream: %,d bytes (MEMORY USAGE), %.0f per event%n", streamBytes, (double) streamBytes / events);
                printUsedMemory(redis, "after the drain", empty);
                redis.del(keys.stream(), keys.deadLetters());
                printUsedMemory(redis, "after deleting the stream and its dead letters", empty);

                Map<Kind, Tally> tallies = inventory(connection, keys);
                printTable(redis, tallies, schema.retention());
                printTypicalMinute(redis, keys, schema, day.expected(), (from + to) / 2 / PreloadedDay.MINUTE_MILLIS);
                Tally sessions = tallies.get(Kind.SESSIONS);
                if (sessions != null) {
                    Map<String, SessionSummary> stored = storedSessions(client, keys);
                    long live = stored.values().stream().filter(s -> s.last() >= to - SESSION_GAP.toMillis()).count();
                    System.out.printf("  sessions: %,d keys (hashes of a window of the gap each, and the window's name), kept "
                            + "until two windows after their last commit, whatever their events' time, so all %,d of the day's "
                            + "sessions are alive after this replay; %,d had an event in the last %d min (those a live stream "
                            + "would keep): %.1f MiB at %,.0f bytes each%n", sessions.keys, stored.size(), live,
                            SESSION_GAP.toMinutes(), live * sessions.bytes / stored.size() / MIB,
                            (double) sessions.bytes / stored.size());
                }

                long deletedSessions = delete(redis, keys.allSessions());
                awaitResizedKeyspace(redis);
                long retained = printUsedMemory(redis, String.format("after also deleting the %,d sessions (so: one day of minute bins, "
                        + "minute histograms and HLLs, and the all-time keys), keyspace tables resized", deletedSessions), empty);
                long allTime = tallies.entrySet().stream().filter(entry -> !entry.getKey().perDay && entry.getKey() != Kind.SESSIONS)
                        .mapToLong(entry -> entry.getValue().bytes).sum();
                System.out.printf("  per day of retention by used_memory (above the empty server, less the %,d bytes of all-time "
                        + "and other keys): %.1f MiB%n", allTime, (retained - empty - allTime) / MIB);
            } finally {
                client.shutdown();
            }
        }
    }

    /** Kinds of aggregate keys, by what follows the stream's name and a colon (see {@link KeyLayout}). */
    private enum Kind {
        ALL_TIME_HASHES("all-time hashes", "agg:", true, false),
        ALL_TIME_HISTOGRAMS("all-time histograms", "hist", true, false),
        MINUTE_BINS("minute bins", "bin:", true, true),
        MINUTE_HISTOGRAMS("minute histograms", "binhist:", true, true),
        UNIQUE_USERS("unique-user HLLs", "uniq:", false, true),
        SESSIONS("sessions", "sessions:", false, false),
        OTHER("other", null, false, false);

        final String label;
        final String prefix;
        final boolean hash;
        final boolean perDay;

        Kind(String label, String prefix, boolean hash, boolean perDay) {
            this.label = label;
            this.prefix = prefix;
            this.hash = hash;
            this.perDay = perDay;
        }

        static Kind of(String key, KeyLayout keys) {
            String stream = keys.stream() + ":";
            for (Kind kind : values()) {
                if (kind.prefix != null && key.startsWith(stream + kind.prefix)) {
                    return kind;
                }
            }
            return OTHER;
        }
    }

    /** Keys, bytes and (for hashes) fields of one kind, and one of its keys. */
    private static final class Tally {
        long keys;
        long bytes;
        long fields;
        String sample;
    }

    /** Every key by kind, with MEMORY USAGE (all samples) and HLEN, pipelined a SCAN page at a time. */
    private static Map<Kind, Tally> inventory(StatefulRedisConnection<String, String> connection, KeyLayout keys) {
        Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.limit(PIPELINE));
            List<Long> bytes = memoryUsage(connection, page.getKeys());
            List<Long> fields = Pipelined.perKey(connection, page.getKeys(),
                    (async, key) -> Kind.of(key, keys).hash ? async.hlen(key) : null);
            for (int i = 0; i < page.getKeys().size(); i++) {
                if (bytes.get(i) == null) {
                    continue; // expired since the SCAN
                }
                String key = page.getKeys().get(i);
                Tally tally = tallies.computeIfAbsent(Kind.of(key, keys), kind -> new Tally());
                tally.keys++;
                tally.bytes += bytes.get(i);
                tally.fields += fields.get(i) == null ? 0 : fields.get(i);
                if (tally.sample == null) {
                    tally.sample = key;
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return tallies;
    }

    private static void printTable(RedisCommands<String, String> redis, Map<Kind, Tally> tallies, Duration retention) {
        System.out.printf("  %-20s %9s %14s %10s %11s  %s%n", "kind", "keys", "bytes", "bytes/key", "fields/key", "encoding (one key)");
        long perDay = 0;
        for (Map.Entry<Kind, Tally> entry : tallies.entrySet()) {
            Kind kind = entry.getKey();
            Tally tally = entry.getValue();
            System.out.printf("  %-20s %,9d %,14d %,10.0f %11s  %s (%s)%n", kind.label, tally.keys, tally.bytes,
                    (double) tally.bytes / tally.keys, kind.hash ? String.format("%.1f", (double) tally.fields / tally.keys) : "-",
                    redis.objectEncoding(tally.sample), tally.sample);
            perDay += kind.perDay ? tally.bytes : 0;
        }
        long days = retention.toDays();
        System.out.printf("  per day of retention by MEMORY USAGE (minute bins, minute histograms, unique-user HLLs; keyspace "
                + "tables not included): %,d bytes = %.1f MiB; %d days' retention: %.0f MiB%n", perDay, perDay / MIB, days,
                days * perDay / MIB);
    }

    /** Fields and encoding of one minute's bin and histograms: all values, and each dimension's most and least frequent value. */
    private static void printTypicalMinute(RedisCommands<String, String> redis, KeyLayout keys, EventSchema schema,
            ExpectedAggregates expected, long minute) {
        List<String> typical = new ArrayList<>(List.of(keys.minuteBin(minute), keys.minuteHistogram(minute)));
        for (String dimension : schema.dimensions()) {
            Map<String, Long> counts = expected.countsBy(dimension);
            String most = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            String least = counts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            typical.add(keys.minuteHistogram(minute, dimension, most));
            typical.add(keys.minuteHistogram(minute, dimension, least));
        }
        System.out.println("  one minute in the middle of the day:");
        for (String key : typical) {
            System.out.printf("    %-50s %,4d fields  %s%n", key, redis.hlen(key),
                    redis.exists(key) == 1 ? redis.objectEncoding(key) : "(no such key)");
        }
    }

    /** Deletes every key matching {@code pattern} (DEL, so its memory is freed before the next INFO); returns how many. */
    private static long delete(RedisCommands<String, String> redis, String pattern) {
        long deleted = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(PIPELINE));
            if (!page.getKeys().isEmpty()) {
                deleted += redis.del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return deleted;
    }

    /** {@code MEMORY USAGE key SAMPLES 0} of each key (every element counted, not estimated); null for a missing key. */
    private static List<Long> memoryUsage(StatefulRedisConnection<String, String> connection, List<String> keys) {
        return Pipelined.perKey(connection, keys, (async, key) -> async.dispatch(CommandType.MEMORY, new IntegerOutput<>(CODEC),
                new CommandArgs<>(CODEC).add("USAGE").addKey(key).add("SAMPLES").add(0)));
    }

    /** The sessions as a reader finds them: the window of the last commit with sessions, then the one before. */
    private static Map<String, SessionSummary> storedSessions(RedisClient client, KeyLayout keys) {
        try (StatefulRedisConnection<String, byte[]> connection = client.connect(RedisCodec.of(CODEC, ByteArrayCodec.INSTANCE))) {
            RedisCommands<String, byte[]> redis = connection.sync();
            long window = Long.parseLong(new String(redis.get(keys.sessionWindow()), StandardCharsets.US_ASCII));
            Map<String, SessionSummary> sessions = new HashMap<>();
            for (long w = window - 1; w <= window; w++) {
                redis.hgetall(keys.sessions(w)).forEach((id, stored) -> sessions.put(id, SessionSummary.decode(stored)));
            }
            return sessions;
        }
    }

    /**
     * Prints {@code used_memory}, its excess over the empty server, and the keyspace's own hash tables
     * ({@code MEMORY STATS}: the main and expires dictionaries of database 0), which MEMORY USAGE of the
     * keys leaves out but for one entry per key. Returns {@code used_memory}.
     */
    private static long printUsedMemory(RedisCommands<String, String> redis, String when, long empty) {
        long used = usedMemory(redis);
        Map<String, Long> db = memoryStatsOfDatabase0(redis);
        System.out.printf("  used_memory %s: %,d bytes, %.1f MiB above the empty server; keyspace tables %,d bytes (main) + "
                + "%,d (expires)%n", when, used, (used - empty) / MIB, db.get("overhead.hashtable.main"),
                db.get("overhead.hashtable.expires"));
        return used;
    }

    /** The {@code db.0} section of MEMORY STATS, name → bytes. */
    private static Map<String, Long> memoryStatsOfDatabase0(RedisCommands<String, String> redis) {
        List<Object> stats = redis.dispatch(CommandType.MEMORY, new NestedMultiOutput<>(CODEC), new CommandArgs<>(CODEC).add("STATS"));
        for (int i = 0; i + 1 < stats.size(); i += 2) {
            if ("db.0".equals(stats.get(i)) && stats.get(i + 1) instanceof List<?> pairs) {
                Map<String, Long> db = new HashMap<>();
                for (int j = 0; j + 1 < pairs.size(); j += 2) {
                    db.put(String.valueOf(pairs.get(j)), ((Number) pairs.get(j + 1)).longValue());
                }
                return db;
            }
        }
        throw new IllegalStateException("MEMORY STATS has no db.0: " + stats);
    }

    /**
     * Waits (at most a minute) until the keyspace's hash tables have stayed the same size for five
     * seconds: after mass deletions Redis shrinks them in its cron, one table and one step at a time,
     * seconds apart.
     */
    private static void awaitResizedKeyspace(RedisCommands<String, String> redis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, Long> last = memoryStatsOfDatabase0(redis);
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < Duration.ofSeconds(5).toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("keyspace tables still resizing after a minute: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(200);
            Map<String, Long> db = memoryStatsOfDatabase0(redis);
            if (!db.equals(last)) {
                last = db;
                stableSince = System.nanoTime();
            }
        }
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        return redis.info("memory").lines().filter(line -> line.startsWith("used_memory:"))
                .map(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst()
                .orElseThrow(() -> new IllegalStateException("INFO memory has no used_memory"));
    }

    private static String config(RedisCommands<String, String> redis, String name) {
        return redis.configGet(name).get(name);
    }

    private MemoryBenchmark() {
    }
}
