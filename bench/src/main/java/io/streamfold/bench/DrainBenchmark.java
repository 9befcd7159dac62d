package io.streamfold.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.RedisOptions;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How fast processors drain a backlog, next to Redis's own ceiling for the same work on the same data.
 *
 * <p>For each processor count: a fresh Redis, N preloaded events, the in-server XREADGROUP + XACK
 * ceiling, then P packaged processors released on the backlog at once; timed until pending and lag
 * are 0, then the aggregates are checked exactly. Arguments: {@code events=N warmup=W processors=1,2 batch=B},
 * {@code aof=no|everysec|always} (Redis's persistence; default no) and any {@code streamfold.*} setting passed to the
 * processors.
 */
public final class DrainBenchmark {

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        int events = arguments.integer("events", 1_000_000);
        int warmup = arguments.integer("warmup", 300_000);
        int batch = arguments.integer("batch", 1_000);
        List<String> settings = new ArrayList<>(arguments.settings());
        settings.add("streamfold.consumer.batch-size=" + batch);
        RedisOptions redis = arguments.redis();
        System.out.printf("drain: %,d events after %,d to warm up, batch %,d, Redis persistence %s, settings %s%n", events,
                warmup, batch, redis.persistence(), settings);
        for (int processors : arguments.integers("processors", List.of(1, 2))) {
            run(redis, warmup, events, processors, batch, settings);
        }
    }

    /**
     * Preloads {@code warmup + events} entries; the processors drain them all, and the rate is timed
     * over the last {@code events} only (from the moment the group has read the warm-up entries), so
     * it is the rate of processors whose code the JIT has compiled, as in a long-running fleet.
     */
    private static void run(RedisOptions redisOptions, int warmup, int events, int processorCount, int batch,
            List<String> settings) throws Exception {
        KeyLayout keys = KeyLayout.defaults();
        EventSchema schema = EventSchema.defaults();
        try (RedisServer server = RedisServers.start(redisOptions)) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                Preload preload = new Preload(connection, keys.stream(), 42, schema.dimensions());
                preload.write(warmup + events);
                double ceiling = RedisCeiling.measure(redis, keys.stream(), batch);

                redis.xgroupCreate(StreamOffset.latest(keys.stream()), keys.group());
                StreamProbe probe = new StreamProbe(redis, keys.stream(), keys.group());
                try (Processors processors = Processors.start(processorCount, server.uri(), settings)) {
                    rewindGroup(redis, keys);
                    preload.write(1); // wakes the processors blocked on the now-rewound group
                    while (probe.entriesRead() < warmup) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                    redis.configResetstat();
                    Duration cpuBefore = processors.cpuTime();
                    double redisCpuBefore = RedisStats.cpuSeconds(redis);
                    HostCpu hostBefore = HostCpu.now();
                    long started = System.nanoTime();
                    long measured = warmup + events + 1 - probe.entriesRead();
                    while (!probe.drained()) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    String host = HostCpu.now().since(hostBefore);
                    double cpuMicrosPerEvent = processors.cpuTime().minus(cpuBefore).toNanos() / 1e3 / measured;
                    double redisCpuMicrosPerEvent = (RedisStats.cpuSeconds(redis) - redisCpuBefore) * 1e6 / measured;
                    AggregateCheck.requireExact(redis, keys, schema.dimensions(), schema.scale(), preload.expected());
                    double rate = measured / seconds;
                    RedisStats.printCommandStats(redis, 14);
                    System.out.printf("processors=%d  drained %,d events in %.2f s = %,.0f events/s  |  Redis ceiling "
                            + "(in-server XREADGROUP+XACK, batch %d) %,.0f events/s  |  ratio %.0f%%  |  processor CPU %.2f "
                            + "µs/event, Redis CPU %.2f µs/event  |  aggregates exact%n",
                            processorCount, measured, seconds, rate, batch, ceiling, 100 * rate / ceiling, cpuMicrosPerEvent,
                            redisCpuMicrosPerEvent);
                    System.out.println("  " + host);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** Moves the group back to the start of the stream, so every preloaded entry is new to it. */
    private static void rewindGroup(RedisCommands<String, String> redis, KeyLayout keys) {
        StringCodec codec = StringCodec.UTF8;
        redis.dispatch(CommandType.XGROUP, new StatusOutput<>(codec), new CommandArgs<>(codec).add("SETID")
                .addKey(keys.stream()).add(keys.group()).add("0").add("ENTRIESREAD").add(0));
    }

    private DrainBenchmark() {
    }
}
