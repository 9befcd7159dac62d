package io.streamfold.processor.consume;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.assemble.BatchAssembler;
import io.streamfold.processor.assemble.DeliveryCounts;
import io.streamfold.processor.assemble.RawEntryParser;
import io.streamfold.processor.commit.BatchCommitter;
import io.streamfold.processor.commit.EntryHold;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.read.BatchReader;
import io.streamfold.processor.read.Reclaimer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The loop's parts for one pair of connections, wired from the settings: the reader and the reclaimer on the read
 * side, the commit pipeline (assembler, committer, delivery counts, entry hold) on the commit side.
 *
 * @param reader    reads new entries and this consumer's pending ones
 * @param reclaimer takes over entries idle too long with other consumers
 * @param pipeline  assembles, aggregates and commits what was read
 */
record LoopParts(BatchReader reader, Reclaimer reclaimer, CommitPipeline pipeline) {

    /** Cap of the dead-letter stream (XADD MAXLEN ~). */
    private static final long DEAD_LETTER_MAX_LENGTH = 1_000_000;

    /** What every connection's parts share: the settings and the loop's own state. */
    record Shared(ProcessorConfig config, EventSchema schema, KeyLayout keys, String consumer, Aggregator aggregator,
            ConsumerMetrics metrics, CommitRefusal refusal, Clock clock, BooleanSupplier running, Runnable heartbeat) {
    }

    static LoopParts wire(Shared shared, StatefulRedisConnection<String, String> reads,
            StatefulRedisConnection<String, String> commits) {
        ProcessorConfig config = shared.config();
        ProcessorConfig.Consumer settings = config.consumer();
        EventSchema schema = shared.schema();
        KeyLayout keys = shared.keys();
        String consumer = shared.consumer();
        Clock clock = shared.clock();
        RedisCommands<String, String> redis = commits.sync();
        List<String> fieldNames = RawEntryParser.fieldNames(schema);
        BatchReader reader = new BatchReader(reads.async(), keys, consumer, settings.batchSize(), settings.block(),
                config.redis().timeout(), settings.readInterval(), fieldNames);
        Reclaimer reclaimer = new Reclaimer(redis, keys, consumer, settings.reclaimMinIdle(), settings.batchSize(),
                fieldNames);
        BatchCommitter.Settings commitSettings = new BatchCommitter.Settings(DEAD_LETTER_MAX_LENGTH, schema.retention(),
                schema.maxFutureSkew(), config.aggregation().sessions(), config.aggregation().sessionGap(),
                config.aggregation().maxValuesPerDimension());
        CommitPipeline pipeline = new CommitPipeline(new BatchAssembler(new RawEntryParser(schema, clock),
                shared.aggregator(), new EventParser(schema, clock), keys.stream(), settings.maxDeliveries()),
                new BatchCommitter(redis, keys, schema.dimensions(), consumer, commitSettings, clock),
                new DeliveryCounts(redis, keys, consumer), new EntryHold(redis, keys, consumer), shared.refusal(),
                new Backoff(commitRetryPause(settings)), shared.metrics(), clock, schema.dimensions().size(),
                shared.running(), shared.heartbeat());
        return new LoopParts(reader, reclaimer, pipeline);
    }

    /**
     * The longest pause between tries of a commit: the max backoff, but at most a third of the reclaim min-idle time,
     * so that the entries kept between tries ({@link EntryHold}) never get idle long enough to be taken over.
     */
    private static Duration commitRetryPause(ProcessorConfig.Consumer settings) {
        Duration third = settings.reclaimMinIdle().dividedBy(3);
        return settings.maxBackoff().compareTo(third) < 0 ? settings.maxBackoff() : third;
    }
}
