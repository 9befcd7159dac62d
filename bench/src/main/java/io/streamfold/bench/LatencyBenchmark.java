package io.streamfold.bench;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.streamfold.contract.KeyLayout;
import io.streamfold.producer.load.EventGenerator;
import io.streamfold.testsupport.RedisOptions;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Event-to-commit latency at a steady rate: events stamped with the current time are written at
 * {@code rate} per second (a burst every millisecond) while processors consume; after a
 * warm-up, the processors' {@code processor_event_latency_seconds} histogram over the measured
 * window gives p50 and p99. Arguments: {@code rate=50000 seconds=30 warmup=10 processors=1},
 * {@code aof=no|everysec|always} (Redis's persistence; default no) and
 * any {@code streamfold.*} setting passed to the processors. Beside the figures it prints how fast the
 * machine ran: how its CPU time was spent over the window ({@link HostCpu}) and, after the window,
 * Redis's own consume ceiling on the run's stream ({@link RedisCeiling}), so that runs on a shared
 * machine can be compared.
 */
public final class LatencyBenchmark {

    private static final String METRIC = "processor_event_latency_seconds";
    private static final String COMMIT = "processor_commit_duration_seconds";
    private static final String BATCH_SIZE = "processor_batch_size_entries";
    private static final int CEILING_BATCH = 8000;

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        int rate = arguments.integer("rate", 50_000);
        int seconds = arguments.integer("seconds", 30);
        int warmup = arguments.integer("warmup", 10);
        int processorCount = arguments.integer("processors", 1);
        KeyLayout keys = KeyLayout.defaults();
        RedisOptions redisOptions = arguments.redis();
        System.out.printf("latency: %,d events/s for %d s after %d s warm-up, %d processor(s), Redis persistence %s, settings %s%n",
                rate, seconds, warmup, processorCount, redisOptions.persistence(), arguments.settings());
        try (RedisServer server = RedisServers.start(redisOptions);
                Processors processors = Processors.start(processorCount, server.uri(), arguments.settings())) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect();
                    SteadyWriter writer = new SteadyWriter(server.host(), server.port(), keys.stream(), rate)) {
                RedisCommands<String, String> redis = connection.sync();
                StreamProbe probe = new StreamProbe(redis, keys.stream(), keys.group());
                redis.configSet("latency-monitor-threshold", "2");
                redis.configSet("slowlog-log-slower-than", "2000");
                redis.configSet("slowlog-max-len", "10000");
                writer.run(warmup);
                List<String> start = processors.metrics();
                LatencyHistogram before = LatencyHistogram.scrape(start, METRIC);
                LatencyHistogram commitsBefore = LatencyHistogram.scrape(start, COMMIT);
                LatencyHistogram batchesBefore = LatencyHistogram.scrape(start, BATCH_SIZE);
                redis.configResetstat();
                redis.slowlogReset();
                Duration cpuBefore = processors.cpuTime();
                double redisCpuBefore = RedisStats.cpuSeconds(redis);
                HostCpu hostBefore = HostCpu.now();
                long written = writer.run(seconds);
                String host = HostCpu.now().since(hostBefore);
                while (!probe.drained()) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                double processorCpu = processors.cpuTime().minus(cpuBefore).toNanos() / 1e3 / written;
                double redisCpu = (RedisStats.cpuSeconds(redis) - redisCpuBefore) * 1e6 / written;
                Map<String, Long> micros = RedisStats.commandMicros(redis);
                double script = (double) micros.getOrDefault("evalsha", 0L) / written;
                double xadd = (double) micros.getOrDefault("xadd", 0L) / written;
                double xreadgroup = (double) micros.getOrDefault("xreadgroup", 0L) / written;
                List<String> end = processors.metrics();
                LatencyHistogram window = LatencyHistogram.scrape(end, METRIC).since(before);
                LatencyHistogram commits = LatencyHistogram.scrape(end, COMMIT).since(commitsBefore);
                LatencyHistogram batches = LatencyHistogram.scrape(end, BATCH_SIZE).since(batchesBefore);
                System.out.printf("rate %,d events/s  |  %,d events written, %,.0f measured  |  event-to-commit p50 <= %.1f ms, "
                        + "p99 <= %.1f ms, p99.9 <= %.1f ms (histogram bucket bounds)%n", rate, written, window.count(),
                        1000 * window.quantileUpperBound(0.50), 1000 * window.quantileUpperBound(0.99),
                        1000 * window.quantileUpperBound(0.999));
                System.out.printf("  within the objectives' bounds: %.1f%% of events within 2 ms (p50 needs 50%%), %.2f%% within "
                        + "10 ms (p99 needs 99%%)%n", 100 * window.fractionWithin(0.002), 100 * window.fractionWithin(0.010));
                System.out.printf("  %,.0f commits, p50 <= %.2f ms, p99 <= %.2f ms  |  batch size p50 <= %.0f, p99 <= %.0f entries%n",
                        commits.count(), 1000 * commits.quantileUpperBound(0.5), 1000 * commits.quantileUpperBound(0.99),
                        batches.quantileUpperBound(0.5), batches.quantileUpperBound(0.99));
                RedisStats.printCommandStats(redis, 20);
                System.out.printf("  per event: processor CPU %.2f µs, Redis CPU %.2f µs (commit script %.2f µs, XADD %.2f µs, "
                        + "XREADGROUP %.2f µs)%n", processorCpu, redisCpu, script, xadd, xreadgroup);
                System.out.println("  " + host);
                System.out.println("  Redis latency events over 2 ms (LATENCY LATEST): " + latencyLatest(redis));
                System.out.println("  commands of 2 ms or more (SLOWLOG): " + slowCommands(redis));
                System.out.println("  " + arrivalDelay(redis, keys.stream()));
                System.out.println("  after the run: " + RedisStats.keyspace(redis));
                // Last, as it holds Redis for seconds: the consume work alone, in-server, on this run's whole stream.
                long kept = redis.xlen(keys.stream());
                if (kept < written) {
                    System.out.printf("  Redis's ceiling not measured: the processors trimmed the run's stream to %,d entries "
                            + "(streamfold.trim.* set; see Processors)%n", kept);
                } else {
                    double ceiling = RedisCeiling.measure(redis, keys.stream(), CEILING_BATCH);
                    System.out.printf("  Redis's own XREADGROUP + XACK ceiling on this run's stream, measured right after it (a "
                            + "Lua loop, batches of %,d): %,.0f events/s, how fast this machine ran; the load was %.0f%% of it%n",
                            CEILING_BATCH, ceiling, 100.0 * rate / ceiling);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /**
     * Writes events stamped with the current time at a fixed rate: one burst per millisecond over a
     * plain socket. The XADD commands are encoded once, up front, with a fixed-width slot for the
     * timestamp that is patched just before sending, so the load generator spends almost no CPU —
     * on a two-core machine shared with Redis and the processors, a heavier one would be what is measured.
     */
    private static final class SteadyWriter implements AutoCloseable {

        private static final int TS_DIGITS = 13;

        private final Socket socket;
        private final OutputStream out;
        private final Thread replies;
        private final int rate;
        private final List<byte[]> commands = new ArrayList<>();
        private final List<Integer> tsOffsets = new ArrayList<>();
        private final ByteArrayOutputStream burst = new ByteArrayOutputStream(1 << 16);

        SteadyWriter(String host, int port, String stream, int rate) throws IOException {
            this.rate = rate;
            EventGenerator generator = new EventGenerator(7, 50, 100_000);
            for (int i = 0; i < rate; i++) {
                Map<String, String> fields = generator.next(0);
                fields.put("ts", "0".repeat(TS_DIGITS));
                List<String> args = new ArrayList<>(List.of("XADD", stream, "*"));
                fields.forEach((name, value) -> {
                    args.add(name);
                    args.add(value);
                });
                StringBuilder command = new StringBuilder("*").append(args.size()).append("\r\n");
                int tsOffset = -1;
                for (int a = 0; a < args.size(); a++) {
                    byte[] arg = args.get(a).getBytes(StandardCharsets.UTF_8);
                    command.append('$').append(arg.length).append("\r\n");
                    if (a > 0 && args.get(a - 1).equals("ts")) {
                        tsOffset = command.toString().getBytes(StandardCharsets.UTF_8).length;
                    }
                    command.append(args.get(a)).append("\r\n");
                }
                commands.add(command.toString().getBytes(StandardCharsets.UTF_8));
                tsOffsets.add(tsOffset);
            }
            this.socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            this.replies = new Thread(() -> {
                byte[] sink = new byte[1 << 16];
                try (InputStream in = socket.getInputStream()) {
                    while (in.read(sink) >= 0) {
                        // replies are not needed: the drained group and the histogram's count tell what arrived
                    }
                } catch (IOException closed) {
                    // the writer closed the socket
                }
            }, "xadd-replies");
            replies.setDaemon(true);
            replies.start();
        }

        /** Writes for {@code seconds}; returns the number of events written. */
        long run(int seconds) throws IOException {
            long started = System.nanoTime();
            long written = 0;
            for (long tick = 1; tick <= seconds * 1_000L; tick++) {
                long due = rate * tick / 1_000 - written;
                byte[] ts = String.format("%013d", System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
                burst.reset();
                for (long i = 0; i < due; i++) {
                    int index = (int) ((written + i) % commands.size());
                    byte[] command = commands.get(index);
                    System.arraycopy(ts, 0, command, tsOffsets.get(index), TS_DIGITS);
                    burst.write(command);
                }
                out.write(burst.toByteArray());
                out.flush();
                written += due;
                LockSupport.parkNanos(started + tick * 1_000_000L - System.nanoTime());
            }
            return written;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * How long the last events written took to reach the stream: an entry id's milliseconds are Redis's
     * clock when it ran the XADD, its {@code ts} field the writer's when it sent it (the same machine's clock).
     * That part of event-to-commit latency is spent before any processor can see the event.
     */
    private static String arrivalDelay(RedisCommands<String, String> redis, String stream) {
        List<StreamMessage<String, String>> last = redis.xrevrange(stream, Range.create("-", "+"),
                Limit.from(200_000));
        if (last.isEmpty()) {
            return "arrival in the stream: no events";
        }
        long[] delays = new long[last.size()];
        for (int e = 0; e < delays.length; e++) {
            StreamMessage<String, String> entry = last.get(e);
            String id = entry.getId();
            delays[e] = Long.parseLong(id.substring(0, id.indexOf('-'))) - Long.parseLong(entry.getBody().get("ts"));
        }
        Arrays.sort(delays);
        return String.format("arrival in the stream (entry id's ms - ts, last %,d events): p50 %d ms, p99 %d ms, max %d ms",
                delays.length, delays[delays.length / 2], delays[(int) (delays.length * 0.99)], delays[delays.length - 1]);
    }

    /** How many commands Redis took 2 ms or more to run, and the five longest: duration, command, first two arguments. */
    private static String slowCommands(RedisCommands<String, String> redis) {
        List<List<?>> slow = new ArrayList<>();
        for (Object entry : redis.slowlogGet(10_000)) {
            slow.add((List<?>) entry);
        }
        slow.sort(Comparator.comparingLong((List<?> entry) -> (Long) entry.get(2)).reversed());
        List<String> longest = new ArrayList<>();
        for (List<?> entry : slow.subList(0, Math.min(5, slow.size()))) {
            List<?> command = (List<?>) entry.get(3);
            longest.add(String.format("%,d µs %s", (Long) entry.get(2),
                    command.subList(0, Math.min(3, command.size())).stream().map(String::valueOf)
                            .map(text -> text.length() > 40 ? text.substring(0, 40) + "…" : text).toList()));
        }
        return slow.size() + (longest.isEmpty() ? "" : ", the longest " + String.join("; ", longest));
    }

    /** Redis's own record of its slow moments (event, time, latest ms, max ms), with the monitor's threshold at 2 ms. */
    private static List<Object> latencyLatest(RedisCommands<String, String> redis) {
        ProtocolKeyword latency = new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return "LATENCY".getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public String toString() {
                return "LATENCY";
            }
        };
        return redis.dispatch(latency, new NestedMultiOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("LATEST"));
    }

    private LatencyBenchmark() {
    }
}
