package io.streamfold.bench;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.streamfold.producer.load.EventGenerator;
import io.streamfold.testsupport.ExpectedAggregates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/** Writes generated events to the stream, pipelined, and keeps the independent expectation of their aggregates. */
final class Preload {

    private static final int PIPELINE = 1_000;

    private final StatefulRedisConnection<String, String> connection;
    private final String stream;
    private final EventGenerator generator;
    private final ExpectedAggregates expected;

    /** Events of 50 products and 100,000 users from a generator seeded with {@code seed}. */
    Preload(StatefulRedisConnection<String, String> connection, String stream, long seed, List<String> dimensions) {
        this(connection, stream, new EventGenerator(seed, 50, 100_000), dimensions);
    }

    /** Events from {@code generator} (its products, users and seed). */
    Preload(StatefulRedisConnection<String, String> connection, String stream, EventGenerator generator, List<String> dimensions) {
        this.connection = connection;
        this.stream = stream;
        this.generator = generator;
        this.expected = new ExpectedAggregates(dimensions);
    }

    /** Writes {@code count} events stamped with the current time, {@link #PIPELINE} per round trip. */
    void write(int count) {
        write(count, event -> System.currentTimeMillis());
    }

    /**
     * Writes {@code count} events stamped evenly over {@code [fromMillis, toMillis)}, oldest first (each
     * less the generator's up to two seconds of disorder), {@link #PIPELINE} per round trip.
     */
    void write(int count, long fromMillis, long toMillis) {
        if (count < 1 || toMillis <= fromMillis) {
            throw new IllegalArgumentException("expected count >= 1 and fromMillis < toMillis, got count " + count
                    + " over [" + fromMillis + ", " + toMillis + ")");
        }
        long span = toMillis - fromMillis;
        write(count, event -> fromMillis + Math.multiplyExact(span, (long) event) / count);
    }

    /** Writes {@code count} events, the {@code i}th (from 0) stamped around {@code timeOfEvent(i)}. */
    private void write(int count, IntToLongFunction timeOfEvent) {
        RedisAsyncCommands<String, String> redis = connection.async();
        connection.setAutoFlushCommands(false);
        try {
            List<RedisFuture<String>> pending = new ArrayList<>(PIPELINE);
            for (int written = 0; written < count; ) {
                int n = Math.min(PIPELINE, count - written);
                for (int i = 0; i < n; i++) {
                    Map<String, String> fields = generator.next(timeOfEvent.applyAsLong(written + i));
                    expected.add(fields);
                    pending.add(redis.xadd(stream, fields));
                }
                connection.flushCommands();
                if (!LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(RedisFuture[]::new))) {
                    throw new IllegalStateException("XADD pipeline not confirmed within 30 s");
                }
                pending.clear();
                written += n;
            }
        } finally {
            connection.setAutoFlushCommands(true);
        }
    }

    ExpectedAggregates expected() {
        return expected;
    }
}
