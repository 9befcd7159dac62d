package io.streamfold.processor.consume;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.read.BatchReader;
import io.streamfold.processor.read.RawEntries;
import io.streamfold.processor.read.Reclaimer;
import io.streamfold.processor.redis.LettuceConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The processor's one loop, on a thread of its own: read a batch through the consumer group,
 * aggregate it, commit it (deltas + dead letters + XACK, atomically). Reads go over one connection
 * and are sent one batch ahead while batches arrive full ({@link BatchReader}), commits over another
 * and are not waited for until the next batch is aggregated ({@link CommitPipeline}), so Redis reads
 * and commits while the processor aggregates.
 * A failed commit is retried with the same batch id until it succeeds, so a timeout never loses or
 * doubles a batch. On shutdown the loop stops reading,
 * commits what it already read and exits within {@code streamfold.consumer.drain-timeout}.
 */
@ApplicationScoped
public class ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    private final ProcessorConfig config;
    private final LettuceConnections connections;
    private final KeyLayout keys;
    private final EventSchema schema;
    private final String consumerName;
    private final ConsumerMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Aggregator aggregator;
    private final CommitRefusal refusal = new CommitRefusal();
    private final LoopParts.Shared shared;

    private volatile boolean running;
    private volatile long heartbeatNanos = System.nanoTime();
    private Thread thread;

    ConsumerLoop(ProcessorConfig config, LettuceConnections connections, MeterRegistry registry, Aggregator aggregator) {
        this.config = config;
        this.aggregator = aggregator;
        this.connections = connections;
        this.keys = config.stream().keys();
        this.schema = config.schema().toSchema();
        this.consumerName = ConsumerName.resolve(config.consumer().name());
        checkSettings(config.consumer().block(), config.redis().timeout(), config.consumer().batchSize(), schema);
        this.metrics = new ConsumerMetrics(registry, schema.dimensions(), refusal);
        this.shared = new LoopParts.Shared(config, schema, keys, consumerName, aggregator, metrics, refusal, clock,
                () -> running, () -> heartbeatNanos = System.nanoTime());
    }

    /** What Bean Validation on the settings cannot say: how settings bound one another. */
    static void checkSettings(Duration block, Duration redisTimeout, int batchSize, EventSchema schema) {
        if (block.compareTo(redisTimeout) >= 0) {
            throw new IllegalArgumentException("streamfold.consumer.block (" + block
                    + ") must be shorter than streamfold.redis.timeout (" + redisTimeout + ")");
        }
        if (schema.maxAbsValue() > Long.MAX_VALUE / batchSize) {
            throw new IllegalArgumentException("streamfold.schema.max-abs-value (" + schema.fixedPoint().format(
                    schema.maxAbsValue()) + ") times streamfold.consumer.batch-size (" + batchSize + ") passes the "
                    + "64-bit range of the sums a batch adds up (" + Long.MAX_VALUE + " units at scale " + schema.scale()
                    + "); lower one of them");
        }
    }

    /** Whether Redis is refusing this processor's commit now, and why. */
    public CommitRefusal commitRefusal() {
        return refusal;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "consumer-loop");
        thread.start();
        LOG.infof("Consumer %s started on stream %s, group %s (batch size %d, %s aggregation)", consumerName,
                keys.stream(), keys.group(), config.consumer().batchSize(), aggregator.name());
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (thread == null) {
            return;
        }
        Duration bound = config.consumer().drainTimeout();
        thread.join(bound.toMillis());
        if (thread.isAlive()) {
            LOG.warnf("Consumer %s did not finish its in-flight batches within %s; they stay pending and will be "
                    + "reclaimed by another consumer", consumerName, bound);
        } else {
            LOG.infof("Consumer %s stopped", consumerName);
        }
    }

    /** Whether the loop is running and made progress (a read, a commit or a retry) recently. */
    public boolean alive(Duration within) {
        return running && thread != null && thread.isAlive()
                && System.nanoTime() - heartbeatNanos < within.toNanos();
    }

    public String consumerName() {
        return consumerName;
    }

    /** Connects (again, after a failure to connect) and consumes until stopped. */
    private void run() {
        Backoff backoff = new Backoff(config.consumer().maxBackoff());
        while (running) {
            heartbeatNanos = System.nanoTime();
            try (StatefulRedisConnection<String, String> reads = connections.connect();
                    StatefulRedisConnection<String, String> commits = connections.connect()) {
                consume(reads, commits, backoff);
            } catch (RuntimeException e) {
                metrics.readFailed();
                LOG.warnf("Could not connect to Redis (%s); retrying in %s", e.toString(), backoff.current());
                backoff.pause();
            }
        }
        metrics.inFlight(0);
    }

    private void consume(StatefulRedisConnection<String, String> reads, StatefulRedisConnection<String, String> commits,
            Backoff backoff) {
        ProcessorConfig.Consumer settings = config.consumer();
        RedisCommands<String, String> redis = commits.sync();
        LoopParts parts = LoopParts.wire(shared, reads, commits);
        BatchReader reader = parts.reader();
        Reclaimer reclaimer = parts.reclaimer();
        CommitPipeline pipeline = parts.pipeline();
        long nextReclaim = System.nanoTime();
        boolean groupReady = false;
        while (running) {
            heartbeatNanos = System.nanoTime();
            try {
                if (!groupReady) {
                    ConsumerGroup.ensure(redis, keys, consumerName);
                    groupReady = true;
                    reader.rewind();
                }
                if (System.nanoTime() - nextReclaim >= 0) {
                    reclaim(reclaimer, pipeline);
                    nextReclaim = System.nanoTime() + (reclaimer.midway() ? 0 : settings.reclaimInterval().toNanos());
                }
                if (!reader.nextArrived()) {
                    // next() may wait for entries up to the block time: finish the commit in flight first, so its
                    // outcome (metrics, a retry) does not wait with it
                    pipeline.settle();
                }
                RawEntries entries = reader.next();
                if (!entries.isEmpty()) {
                    pipeline.submit(entries, reader.lastWasRedelivery());
                }
                metrics.inFlight((pipeline.inFlight() ? 1 : 0) + (reader.readingAhead() ? 1 : 0));
                backoff.reset();
            } catch (RuntimeException e) {
                metrics.readFailed();
                // A read that failed (a timeout after a freeze, say) may still have delivered entries to this
                // consumer: read its own pending entries first, rather than leave them to a reclaim; and before
                // that, finish the commit in flight, so those entries are not read again only to be refused.
                pipeline.settle();
                reader.rewind();
                if (ConsumerGroup.isMissing(e)) {
                    LOG.warnf("Consumer group %s on %s is missing; recreating it", keys.group(), keys.stream());
                    groupReady = false;
                } else {
                    LOG.warnf("Reading %s failed (%s); retrying in %s", keys.stream(), e.toString(), backoff.current());
                }
                backoff.pause();
            }
        }
        commitReadAhead(reader, pipeline);
    }

    /** On shutdown: the entries the last read ahead brought are this consumer's; commit them before leaving. */
    private void commitReadAhead(BatchReader reader, CommitPipeline pipeline) {
        try {
            RawEntries entries = reader.finish();
            if (entries != null && !entries.isEmpty()) {
                pipeline.submit(entries, false);
            }
            pipeline.settle();
        } catch (RuntimeException e) {
            LOG.warnf("Could not commit the last batch read ahead (%s); it stays pending for reclaim", e.toString());
        }
    }

    /** Takes over entries idle too long; the commit in flight is settled first, as the claim reuses its buffer. */
    private void reclaim(Reclaimer reclaimer, CommitPipeline pipeline) {
        pipeline.settle();
        Reclaimer.Claim claim = reclaimer.claim();
        metrics.deleted(claim.deleted());
        if (!claim.entries().isEmpty()) {
            LOG.infof("Took over %d entries idle for %s or more", claim.entries().size(), config.consumer().reclaimMinIdle());
            metrics.reclaimed(claim.entries().size());
            pipeline.submit(claim.entries(), true);
        }
    }
}
