package io.streamfold.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.producer.load.EventGenerator;
import io.streamfold.testsupport.RedisOptions;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Event-to-commit latency at a steady rate: events stamped with the current time are written at
 * {@code rate} per second (a pipelined burst every millisecond) while processors consume; after a
 * warm-up, the processors' {@code processor_event_latency_seconds} histogram over the measured
 * window gives p50 and p99. Arguments: {@code rate=50000 seconds=30 warmup=10 processors=1} and
 * any {@code streamfold.*} setting passed to the processors.
 */
public final class LatencyBenchmark {

    private static final String METRIC = "processor_event_latency_seconds";
    private static final String COMMIT = "processor_commit_duration_seconds";
    private static final String BATCH_SIZE = "processor_batch_size_entries";

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        int rate = arguments.integer("rate", 50_000);
        int seconds = arguments.integer("seconds", 30);
        int warmup = arguments.integer("warmup", 10);
        int processorCount = arguments.integer("processors", 1);
        KeyLayout keys = KeyLayout.defaults();
        System.out.printf("latency: %,d events/s for %d s after %d s warm-up, %d processor(s), settings %s%n", rate, seconds,
                warmup, processorCount, arguments.settings());
        try (RedisServer server = RedisServers.start(RedisOptions.defaults());
                Processors processors = Processors.start(processorCount, server.uri(), arguments.settings(),
                        Path.of("bench/target/logs"))) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                StreamProbe probe = new StreamProbe(connection.sync(), keys.stream(), keys.group());
                SteadyWriter writer = new SteadyWriter(connection, keys.stream(), rate);
                writer.run(warmup);
                List<String> start = processors.metrics();
                LatencyHistogram before = LatencyHistogram.scrape(start, METRIC);
                LatencyHistogram commitsBefore = LatencyHistogram.scrape(start, COMMIT);
                LatencyHistogram batchesBefore = LatencyHistogram.scrape(start, BATCH_SIZE);
                long written = writer.run(seconds);
                while (!probe.drained()) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                List<String> end = processors.metrics();
                LatencyHistogram window = LatencyHistogram.scrape(end, METRIC).since(before);
                LatencyHistogram commits = LatencyHistogram.scrape(end, COMMIT).since(commitsBefore);
                LatencyHistogram batches = LatencyHistogram.scrape(end, BATCH_SIZE).since(batchesBefore);
                System.out.printf("rate %,d events/s  |  %,d events written, %,.0f measured  |  event-to-commit p50 <= %.1f ms, "
                        + "p99 <= %.1f ms, p99.9 <= %.1f ms (histogram bucket bounds)%n", rate, written, window.count(),
                        1000 * window.quantileUpperBound(0.50), 1000 * window.quantileUpperBound(0.99),
                        1000 * window.quantileUpperBound(0.999));
                System.out.printf("  %,.0f commits, p50 <= %.2f ms, p99 <= %.2f ms  |  batch size p50 <= %.0f, p99 <= %.0f entries%n",
                        commits.count(), 1000 * commits.quantileUpperBound(0.5), 1000 * commits.quantileUpperBound(0.99),
                        batches.quantileUpperBound(0.5), batches.quantileUpperBound(0.99));
            } finally {
                client.shutdown();
            }
        }
    }

    /** Writes events stamped with the current time at a fixed rate: one pipelined burst per millisecond. */
    private static final class SteadyWriter {

        private final StatefulRedisConnection<String, String> connection;
        private final String stream;
        private final int rate;
        private final EventGenerator generator = new EventGenerator(7, 50, 100_000);

        SteadyWriter(StatefulRedisConnection<String, String> connection, String stream, int rate) {
            this.connection = connection;
            this.stream = stream;
            this.rate = rate;
        }

        /** Writes for {@code seconds}; returns the number of events written. */
        long run(int seconds) throws Exception {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<String>> unconfirmed = new ArrayList<>();
            long started = System.nanoTime();
            long written = 0;
            try {
                for (long tick = 1; tick <= seconds * 1_000L; tick++) {
                    long due = rate * tick / 1_000 - written;
                    long now = System.currentTimeMillis();
                    String ts = String.valueOf(now);
                    for (long i = 0; i < due; i++) {
                        Map<String, String> fields = generator.next(now);
                        fields.put("ts", ts);
                        unconfirmed.add(redis.xadd(stream, fields));
                    }
                    written += due;
                    connection.flushCommands();
                    if (unconfirmed.size() >= rate / 10) {
                        for (RedisFuture<String> future : unconfirmed) {
                            future.get(10, TimeUnit.SECONDS);
                        }
                        unconfirmed.clear();
                    }
                    LockSupport.parkNanos(started + tick * 1_000_000L - System.nanoTime());
                }
                for (RedisFuture<String> future : unconfirmed) {
                    future.get(10, TimeUnit.SECONDS);
                }
            } finally {
                connection.setAutoFlushCommands(true);
            }
            return written;
        }
    }

    private LatencyBenchmark() {
    }
}
