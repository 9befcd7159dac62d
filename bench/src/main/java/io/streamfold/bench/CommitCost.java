package io.streamfold.bench;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.ParseResult;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.commit.BatchCommitter;
import io.streamfold.producer.load.EventGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The same commits, every time: {@code batches} batches of {@code size} generated events (50 products, 10,000 users,
 * all in the minute of the start) committed one after another to the Redis at {@code url}, for counting what Redis
 * spends on them with callgrind ({@code bench/commit-cost.sh}), where wall-clock figures on a shared machine are too
 * noisy to tell a few percent. Arguments: {@code url=redis://… batches=50 size=100}.
 */
public final class CommitCost {

    public static void main(String[] args) {
        Arguments arguments = Arguments.parse(args);
        int batches = arguments.integer("batches", 50);
        int size = arguments.integer("size", 100);
        KeyLayout keys = KeyLayout.defaults();
        EventSchema schema = EventSchema.defaults();
        RedisClient client = RedisClient.create(arguments.string("url", "redis://127.0.0.1:6379"));
        client.setDefaultTimeout(Duration.ofMinutes(5)); // a Redis under callgrind runs some 50 times slower
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.flushall();
            redis.xgroupCreate(StreamOffset.from(keys.stream(), "0"), keys.group(), XGroupCreateArgs.Builder.mkstream());
            BatchCommitter committer = new BatchCommitter(redis, keys, schema.dimensions(), "cost",
                    new BatchCommitter.Settings(1000, schema.retention(), schema.maxFutureSkew(), true,
                            Duration.ofMinutes(30), 10_000), Clock.systemUTC());
            EventGenerator generator = new EventGenerator(7, 50, 10_000);
            long now = System.currentTimeMillis() / 60_000 * 60_000 + 30_000;
            EventParser parser = new EventParser(schema, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
            for (int b = 0; b < batches; b++) {
                for (int e = 0; e < size; e++) {
                    redis.xadd(keys.stream(), generator.next(now));
                }
                List<StreamMessage<String, String>> read = redis.xreadgroup(Consumer.from(keys.group(), "cost"),
                        XReadArgs.Builder.count(size), StreamOffset.lastConsumed(keys.stream()));
                Batch batch = new Batch(schema.dimensions().size());
                for (StreamMessage<String, String> message : read) {
                    byte[] id = message.getId().getBytes(StandardCharsets.US_ASCII);
                    batch.addEntryId(id, 0, id.length);
                    batch.addEvent(((ParseResult.Parsed) parser.parse(message.getBody())).event());
                }
                batch.delta().aggregate(new CpuAggregator());
                BatchCommitter.Outcome outcome = committer.commit(batch).outcome();
                if (outcome != BatchCommitter.Outcome.APPLIED) {
                    throw new IllegalStateException("batch " + b + " was not applied: " + outcome);
                }
            }
            System.out.printf("committed %d batches of %d events%n", batches, size);
        } finally {
            client.shutdown();
        }
    }
}
