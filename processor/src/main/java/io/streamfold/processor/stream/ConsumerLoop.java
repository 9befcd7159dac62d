package io.streamfold.processor.stream;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.commit.BatchCommitter;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.redis.LettuceConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The processor's one loop, on a thread of its own: read a batch through the consumer group,
 * aggregate it, commit it (deltas + dead letters + XACK, atomically). A failed commit is retried
 * with the same batch id until it succeeds, so a timeout never loses or doubles a batch.
 */
@ApplicationScoped
public class ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final long DEAD_LETTER_MAX_LENGTH = 1_000_000;

    private final ProcessorConfig config;
    private final LettuceConnections connections;
    private final KeyLayout keys;
    private final EventSchema schema;
    private final String consumerName;
    private final Counter eventsAggregated;
    private final Counter eventsDeadLettered;
    private final Counter entriesDeleted;
    private final Counter batchesApplied;
    private final Counter batchesDuplicate;
    private final Counter entriesLost;
    private final Counter entriesReclaimed;
    private final Counter eventsDuplicate;
    private final Counter readErrors;
    private final Counter commitErrors;
    private final Timer batchDuration;

    private volatile boolean running;
    private volatile long heartbeatNanos = System.nanoTime();
    private Thread thread;

    ConsumerLoop(ProcessorConfig config, LettuceConnections connections, MeterRegistry registry) {
        this.config = config;
        this.connections = connections;
        this.keys = config.stream().keys();
        this.schema = config.schema().toSchema();
        this.consumerName = ConsumerName.resolve(config.consumer().name());
        if (config.consumer().block().compareTo(config.redis().timeout()) >= 0) {
            throw new IllegalArgumentException("streamfold.consumer.block (" + config.consumer().block()
                    + ") must be shorter than streamfold.redis.timeout (" + config.redis().timeout() + ")");
        }
        this.eventsAggregated = Counter.builder("processor.events").tag("outcome", "aggregated")
                .description("Stream entries aggregated into committed batches").register(registry);
        this.eventsDeadLettered = Counter.builder("processor.events").tag("outcome", "dead_lettered")
                .description("Stream entries rejected by the parser and moved to the dead-letter stream").register(registry);
        this.entriesDeleted = Counter.builder("processor.events").tag("outcome", "deleted")
                .description("Pending entries deleted from the stream before they were read; acknowledged").register(registry);
        this.batchesApplied = Counter.builder("processor.batches").tag("outcome", "applied")
                .description("Batches committed").register(registry);
        this.batchesDuplicate = Counter.builder("processor.batches").tag("outcome", "duplicate")
                .description("Commits recognised by the ledger as already applied").register(registry);
        this.entriesLost = Counter.builder("processor.events").tag("outcome", "taken_over")
                .description("Entries read by this consumer but reclaimed by another before its commit").register(registry);
        this.entriesReclaimed = Counter.builder("processor.events").tag("outcome", "reclaimed")
                .description("Entries taken over from idle consumers (XAUTOCLAIM)").register(registry);
        this.eventsDuplicate = Counter.builder("processor.events").tag("outcome", "duplicate")
                .description("Entries of commits the ledger recognised as already applied").register(registry);
        this.readErrors = Counter.builder("processor.errors").tag("stage", "read")
                .description("Failed reads from the stream").register(registry);
        this.commitErrors = Counter.builder("processor.errors").tag("stage", "commit")
                .description("Failed commit attempts (each retried)").register(registry);
        this.batchDuration = Timer.builder("processor.batch.duration")
                .description("From a batch's read to its commit").publishPercentileHistogram().register(registry);
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "consumer-loop");
        thread.start();
        LOG.infof("Consumer %s started on stream %s, group %s (batch size %d)", consumerName, keys.stream(),
                keys.group(), config.consumer().batchSize());
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(config.consumer().block().plus(config.redis().timeout()).multipliedBy(2).toMillis());
        }
        LOG.infof("Consumer %s stopped", consumerName);
    }

    /** Whether the loop is running and made progress (a read, a commit or a retry) recently. */
    public boolean alive(Duration within) {
        return running && thread != null && thread.isAlive()
                && System.nanoTime() - heartbeatNanos < within.toNanos();
    }

    public String consumerName() {
        return consumerName;
    }

    private void run() {
        Backoff backoff = new Backoff(config.consumer().maxBackoff());
        try (StatefulRedisConnection<String, String> connection = connections.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            BatchReader reader = new BatchReader(redis, keys, consumerName, config.consumer().batchSize(),
                    config.consumer().block());
            BatchAssembler assembler = new BatchAssembler(new EventParser(schema), keys.stream(),
                    config.consumer().maxDeliveries());
            Reclaimer reclaimer = new Reclaimer(redis, keys, consumerName, config.consumer().reclaimMinIdle(),
                    config.consumer().batchSize());
            DeliveryCounts deliveryCounts = new DeliveryCounts(redis, keys, consumerName);
            long reclaimIntervalNanos = config.consumer().reclaimInterval().toNanos();
            long nextReclaim = System.nanoTime();
            BatchCommitter committer = new BatchCommitter(redis, keys, schema.dimensions(), consumerName,
                    config.consumer().ledgerTtl(), DEAD_LETTER_MAX_LENGTH, Clock.systemUTC());
            Batch batch = new Batch(schema.dimensions().size());
            boolean groupReady = false;
            while (running) {
                heartbeatNanos = System.nanoTime();
                try {
                    if (!groupReady) {
                        ConsumerGroup.ensure(redis, keys);
                        groupReady = true;
                        reader.rewind();
                    }
                    if (System.nanoTime() - nextReclaim >= 0) {
                        Reclaimer.Claim claim = reclaimer.claim();
                        entriesDeleted.increment(claim.deleted());
                        if (!claim.messages().isEmpty()) {
                            LOG.infof("Took over %d entries idle for %s or more", claim.messages().size(),
                                    config.consumer().reclaimMinIdle());
                            entriesReclaimed.increment(claim.messages().size());
                            process(claim.messages(), deliveryCounts.of(claim.messages()), assembler, committer, batch, backoff);
                        }
                        nextReclaim = System.nanoTime() + (reclaimer.midway() ? 0 : reclaimIntervalNanos);
                    }
                    List<StreamMessage<String, String>> messages = reader.next();
                    if (!messages.isEmpty()) {
                        Map<String, Long> deliveries = reader.lastWasRedelivery() ? deliveryCounts.of(messages) : Map.of();
                        process(messages, deliveries, assembler, committer, batch, backoff);
                    }
                    backoff.reset();
                } catch (RuntimeException e) {
                    readErrors.increment();
                    if (ConsumerGroup.isMissing(e)) {
                        LOG.warnf("Consumer group %s on %s is missing; recreating it", keys.group(), keys.stream());
                        groupReady = false;
                    } else {
                        LOG.warnf("Reading %s failed (%s); retrying in %s", keys.stream(), e.toString(), backoff.current());
                    }
                    backoff.pause();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Consumer loop failed to start", e);
            running = false;
        }
    }

    /**
     * Aggregates and commits the messages. When some were taken over by another consumer meanwhile,
     * nothing was applied: the batch is rebuilt from the entries still owned and committed again.
     */
    private void process(List<StreamMessage<String, String>> messages, Map<String, Long> deliveries,
            BatchAssembler assembler, BatchCommitter committer, Batch batch, Backoff backoff) {
        long started = System.nanoTime();
        List<StreamMessage<String, String>> owned = messages;
        while (!owned.isEmpty()) {
            int deleted = assembler.fill(batch, owned, deliveries);
            BatchCommitter.Result result = commitUntilDone(committer, batch, backoff);
            switch (result.outcome()) {
                case APPLIED -> {
                    batchesApplied.increment();
                    eventsAggregated.increment(batch.delta().count());
                    eventsDeadLettered.increment(batch.deadLetters().size());
                    entriesDeleted.increment(deleted);
                    batchDuration.record(Duration.ofNanos(System.nanoTime() - started));
                    return;
                }
                case DUPLICATE -> {
                    batchesDuplicate.increment();
                    eventsDuplicate.increment(batch.entryIds().size());
                    return;
                }
                case NOT_ALL_OWNED -> {
                    Set<String> stillOwned = new HashSet<>(result.ownedIds());
                    LOG.warnf("%d of %d entries were taken over by another consumer; committing the %d still owned",
                            owned.size() - stillOwned.size(), owned.size(), stillOwned.size());
                    entriesLost.increment(owned.size() - stillOwned.size());
                    owned = owned.stream().filter(m -> stillOwned.contains(m.getId())).toList();
                }
            }
        }
    }

    /**
     * Commits until it succeeds or the processor stops. Retrying with the same entries re-derives
     * the same batch id, so an attempt that did apply before its reply was lost is not applied twice.
     */
    private BatchCommitter.Result commitUntilDone(BatchCommitter committer, Batch batch, Backoff backoff) {
        while (true) {
            try {
                return committer.commit(batch);
            } catch (RuntimeException e) {
                commitErrors.increment();
                if (!running) {
                    throw e;
                }
                LOG.warnf("Commit of %d entries failed (%s); retrying in %s", batch.entryIds().size(), e.toString(),
                        backoff.current());
                heartbeatNanos = System.nanoTime();
                backoff.pause();
            }
        }
    }
}
