package io.streamfold.processor.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamfold.processor.commit.Batch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The consume loop's meters, registered once: what happened to entries and batches, and how long it took. */
public final class ConsumerMetrics {

    private final Counter committed;
    private final Counter deadLettered;
    private final Counter deleted;
    private final Counter takenOver;
    private final Counter reclaimed;
    private final Counter duplicate;
    private final Counter batchesApplied;
    private final Counter batchesDuplicate;
    private final Counter readErrors;
    private final Counter commitErrors;
    private final Counter settleErrors;
    private final DistributionSummary batchSize;
    private final Timer commitDuration;
    private final Timer eventLatency;
    private final AtomicInteger inFlight;
    private final Counter[] folded;

    ConsumerMetrics(MeterRegistry registry, List<String> dimensions, CommitRefusal refusal) {
        committed = events(registry, "committed", "Entries aggregated into committed batches");
        deadLettered = events(registry, "dead_lettered", "Entries rejected (malformed, or delivered too often) and moved to the dead-letter stream");
        deleted = events(registry, "deleted", "Pending entries deleted or trimmed from the stream before they were read; acknowledged");
        takenOver = events(registry, "taken_over", "Entries read by this consumer but reclaimed by another before its commit; not applied here");
        reclaimed = events(registry, "reclaimed", "Entries taken over from idle consumers (XAUTOCLAIM)");
        duplicate = events(registry, "duplicate", "Entries of commits the ledger recognised as already applied");
        batchesApplied = Counter.builder("processor.batches").tag("outcome", "applied").description("Batches committed").register(registry);
        batchesDuplicate = Counter.builder("processor.batches").tag("outcome", "duplicate")
                .description("Commits recognised by the ledger as already applied").register(registry);
        readErrors = Counter.builder("processor.errors").tag("stage", "read").description("Failed reads and reclaims").register(registry);
        commitErrors = Counter.builder("processor.errors").tag("stage", "commit").description("Failed commit attempts (each retried)").register(registry);
        settleErrors = Counter.builder("processor.errors").tag("stage", "settle")
                .description("Applied commits that could not settle a finished minute into all time (tried again every 10 s)").register(registry);
        batchSize = DistributionSummary.builder("processor.batch.size").baseUnit("entries")
                .description("Entries per committed batch").publishPercentileHistogram().register(registry);
        commitDuration = Timer.builder("processor.commit.duration").description("One successful commit (the Lua script), from sending it to its reply")
                .publishPercentileHistogram().register(registry);
        eventLatency = Timer.builder("processor.event.latency").description("From an event's timestamp to the commit of its batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                // exact bucket bounds at the latency objectives, so "p50 within 2 ms, p99 within 10 ms" can be read off
                .serviceLevelObjectives(Duration.ofMillis(2), Duration.ofMillis(10)).register(registry);
        folded = new Counter[dimensions.size()];
        for (int d = 0; d < folded.length; d++) {
            folded[d] = Counter.builder("processor.values.folded").tag("dimension", dimensions.get(d))
                    .description("Events whose dimension value was new beyond the dimension's limit, counted as __other__")
                    .register(registry);
        }
        inFlight = new AtomicInteger();
        Gauge.builder("processor.batches.in.flight", inFlight, AtomicInteger::get)
                .description("Batches in progress: the commit in flight and the read sent ahead for the next (0-2)")
                .register(registry);
        Gauge.builder("processor.commit.refused", refusal, r -> r.current().isPresent() ? 1 : 0).strongReference(true)
                .description("1 while Redis refuses this processor's commit (retried until mended; the loop waits), else 0")
                .register(registry);
    }

    private static Counter events(MeterRegistry registry, String outcome, String description) {
        return Counter.builder("processor.events").tag("outcome", outcome).description(description).register(registry);
    }

    /**
     * A batch was applied: its events, dead letters, values folded into {@code __other__} per dimension
     * and the latency of each event up to {@code nowMillis}.
     */
    void applied(Batch batch, List<Long> foldedEvents, long nowMillis) {
        for (int d = 0; d < folded.length; d++) {
            folded[d].increment(foldedEvents.get(d));
        }
        batchesApplied.increment();
        committed.increment(batch.events());
        deadLettered.increment(batch.deadLetters().size());
        batchSize.record(batch.entries());
        long[] times = batch.delta().events().timestamps();
        for (int i = 0; i < batch.events(); i++) {
            eventLatency.record(Math.max(0, nowMillis - times[i]), TimeUnit.MILLISECONDS);
        }
    }

    void duplicate(Batch batch) {
        batchesDuplicate.increment();
        duplicate.increment(batch.entries());
    }

    void takenOver(int entries) {
        takenOver.increment(entries);
    }

    void reclaimed(int entries) {
        reclaimed.increment(entries);
    }

    void deleted(int entries) {
        deleted.increment(entries);
    }

    void readFailed() {
        readErrors.increment();
    }

    void commitFailed() {
        commitErrors.increment();
    }

    void settleFailed() {
        settleErrors.increment();
    }

    void commitTook(long nanos) {
        commitDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Batches in progress: the commit in flight and the read sent ahead for the next (0–2). */
    void inFlight(int batches) {
        inFlight.set(batches);
    }
}
