package io.streamfold.bench;

import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.producer.load.EventGenerator;
import io.streamfold.testsupport.ExpectedAggregates;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * One day of aggregates made the way the fleet makes them: events stamped evenly over the 24 hours
 * before now (less two minutes), {@code perMinute} a minute, from the event generator (its five
 * event types, {@value #PRODUCTS} products, {@code users} users), preloaded into the stream and
 * drained by one packaged processor; then checked: totals, counts and sums by dimension exactly as
 * expected, the minute bins' counts adding up to every event, nothing dead-lettered.
 */
final class PreloadedDay {

    static final long MINUTE_MILLIS = 60_000;
    static final int MINUTES_PER_DAY = 1_440;
    static final int PRODUCTS = 50;
    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(10);

    private final long from;
    private final long to;
    private final ExpectedAggregates expected;

    private PreloadedDay(long from, long to, ExpectedAggregates expected) {
        this.from = from;
        this.to = to;
        this.expected = expected;
    }

    /**
     * Preloads the day into {@code keys.stream()}, drains it with one processor started on
     * {@code redisUri} with {@code settings}, checks the aggregates; prints what it did.
     */
    static PreloadedDay load(StatefulRedisConnection<String, String> connection, String redisUri, KeyLayout keys,
            EventSchema schema, int perMinute, int users, List<String> settings) throws InterruptedException {
        int events = Math.multiplyExact(perMinute, MINUTES_PER_DAY);
        long to = System.currentTimeMillis() - 2 * MINUTE_MILLIS;
        long from = to - MINUTES_PER_DAY * MINUTE_MILLIS;
        Preload preload = new Preload(connection, keys.stream(), new EventGenerator(42, PRODUCTS, users), schema.dimensions());
        long started = System.nanoTime();
        preload.write(events, from, to);
        System.out.printf("  preloaded %,d events in %.1f s%n", events, secondsSince(started));

        drain(connection.sync(), redisUri, keys, settings);
        PreloadedDay day = new PreloadedDay(from, to, preload.expected());
        day.check(connection, keys, schema);
        return day;
    }

    /** Start of the span the events were stamped over, epoch ms. */
    long from() {
        return from;
    }

    /** End (exclusive) of the span the events were stamped over, epoch ms. */
    long to() {
        return to;
    }

    ExpectedAggregates expected() {
        return expected;
    }

    /** Starts one processor on the backlog, waits until the group has read and acknowledged every entry, stops it. */
    private static void drain(RedisCommands<String, String> redis, String uri, KeyLayout keys, List<String> settings)
            throws InterruptedException {
        redis.xgroupCreate(StreamOffset.from(keys.stream(), "0"), keys.group()); // as the processor would; the probe needs it now
        StreamProbe probe = new StreamProbe(redis, keys.stream(), keys.group());
        long started = System.nanoTime();
        try (Processors processors = Processors.start(1, uri, settings)) {
            long deadline = started + DRAIN_DEADLINE.toNanos();
            while (!probe.drained()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not drained within " + DRAIN_DEADLINE + ", " + probe.entriesRead() + " entries read");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            System.out.printf("  one processor drained the stream in %.1f s (its start-up included), processor CPU %.1f s%n",
                    secondsSince(started), processors.cpuTime().toMillis() / 1e3);
        }
    }

    /**
     * The aggregates hold every event: totals, counts and sums by dimension exactly as expected, the
     * minute bins' counts add up to the events, and nothing was dead-lettered.
     */
    private void check(StatefulRedisConnection<String, String> connection, KeyLayout keys, EventSchema schema) {
        RedisCommands<String, String> redis = connection.sync();
        AggregateCheck.requireExact(redis, keys, schema.dimensions(), schema.scale(), expected);
        List<String> bins = LongStream.rangeClosed(Math.floorDiv(from, MINUTE_MILLIS) - 1, Math.floorDiv(to, MINUTE_MILLIS))
                .mapToObj(keys::minuteBin).toList();
        long binned = Pipelined.perKey(connection, bins, (async, key) -> async.hget(key, KeyLayout.COUNT)).stream()
                .filter(Objects::nonNull).mapToLong(Long::parseLong).sum();
        long deadLetters = redis.xlen(keys.deadLetters());
        if (binned != expected.count() || deadLetters != 0) {
            throw new IllegalStateException("expected " + expected.count() + " events in the minute bins and no dead letters, found "
                    + binned + " binned and " + deadLetters + " dead letters");
        }
        System.out.printf("  aggregates exact: %s = %,d events, minute bins' counts add up to it, no dead letters%n",
                keys.totals(), expected.count());
    }

    private static double secondsSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
