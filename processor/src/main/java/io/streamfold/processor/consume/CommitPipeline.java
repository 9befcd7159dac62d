package io.streamfold.processor.consume;

import io.streamfold.processor.assemble.BatchAssembler;
import io.streamfold.processor.assemble.DeliveryCounts;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.commit.BatchCommitter;
import io.streamfold.processor.commit.EntryHold;
import io.streamfold.processor.read.RawEntries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Commits the loop's batches in order, each prepared while Redis applies the one before:
 * {@link #submit} aggregates the entries into the free one of two batches, waits for the commit in
 * flight, then sends this batch's commit without waiting for it. So the processor's CPU and Redis
 * work at the same time, and at most one commit is in flight.
 *
 * <p>A commit that fails (timeout, lost connection, refused by Redis) is sent again with the same batch, hence the
 * same batch id, until it succeeds or the loop stops, so it is never lost and never applied twice; except when the
 * consumer group is missing: that failure is thrown for the loop to recreate the group. Between tries the batch's
 * entries are kept with this consumer ({@link EntryHold}), so no other processor takes them over meanwhile, and a
 * refusal is reported ({@link CommitRefusal}). A commit that finds some entries taken over by another consumer
 * applied nothing; the batch is rebuilt from the entries still owned and committed again.
 *
 * <p>Entries whose assembly fails as a whole (an exception while parsing or aggregating, the same on every try) are
 * split in halves, each committed on its own, down to the single entries that fail alone: those are dead-lettered
 * ({@value BatchAssembler#PROCESSING_FAILED}), every other entry is committed. Not thread-safe: the loop's thread only.
 */
public final class CommitPipeline {

    private static final Logger LOG = Logger.getLogger(CommitPipeline.class);

    private final BatchAssembler assembler;
    private final BatchCommitter committer;
    private final DeliveryCounts deliveryCounts;
    private final EntryHold hold;
    private final CommitRefusal refusal;
    private final Backoff backoff;
    private final ConsumerMetrics metrics;
    private final Clock clock;
    private final BooleanSupplier running;
    private final Runnable heartbeat;
    private final Batch[] batches;
    private InFlight inFlight;

    /**
     * @param backoff the pause between tries of a commit; its longest must stay well below the reclaim min-idle time,
     *                which the entries' idle time reaches otherwise between tries
     */
    CommitPipeline(BatchAssembler assembler, BatchCommitter committer, DeliveryCounts deliveryCounts, EntryHold hold,
            CommitRefusal refusal, Backoff backoff, ConsumerMetrics metrics, Clock clock, int dimensions,
            BooleanSupplier running, Runnable heartbeat) {
        this.assembler = assembler;
        this.committer = committer;
        this.deliveryCounts = deliveryCounts;
        this.hold = hold;
        this.refusal = refusal;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.running = running;
        this.heartbeat = heartbeat;
        this.batches = new Batch[] {new Batch(dimensions, committer.writesSessions()),
            new Batch(dimensions, committer.writesSessions())};
    }

    /**
     * Aggregates {@code entries} into a batch, waits for the commit in flight and sends this batch's
     * commit. The entries must stay unchanged until the next {@code submit} or {@link #settle()} returns.
     *
     * @param redelivered whether the entries were delivered before (their delivery counts are looked up)
     */
    void submit(RawEntries entries, boolean redelivered) {
        Map<String, Long> deliveries = redelivered ? deliveryCounts.of(entries) : Map.of();
        Batch batch = inFlight != null && inFlight.batch() == batches[0] ? batches[1] : batches[0];
        int deleted;
        try {
            deleted = assembler.fill(batch, entries, null, deliveries);
        } catch (RuntimeException e) {
            LOG.warnf("Assembling a batch of %d entries failed (%s); committing it in parts to find the entries that "
                    + "fail alone", entries.size(), e.toString());
            settle();
            List<String> ids = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                ids.add(entries.id(i));
            }
            commitInParts(entries, ids, deliveries);
            return;
        }
        settle();
        inFlight = new InFlight(entries, deliveries, batch, deleted, send(batch));
    }

    /**
     * Commits the entries {@code ids}, each half on its own where they cannot be assembled together, and dead-letters
     * an entry that cannot be assembled alone. Waits for each commit.
     */
    private void commitInParts(RawEntries entries, List<String> ids, Map<String, Long> deliveries) {
        Batch batch = batches[0];
        int deleted;
        try {
            deleted = assembler.fill(batch, entries, new HashSet<>(ids), deliveries);
        } catch (RuntimeException e) {
            if (ids.size() > 1) {
                commitInParts(entries, ids.subList(0, ids.size() / 2), deliveries);
                commitInParts(entries, ids.subList(ids.size() / 2, ids.size()), deliveries);
                return;
            }
            deleted = assembler.fillFailed(batch, entries, ids.get(0), deliveries, e);
        }
        inFlight = new InFlight(entries, deliveries, batch, deleted, send(batch));
        settle();
    }

    /** Whether a commit was sent and its outcome not yet handled. */
    boolean inFlight() {
        return inFlight != null;
    }

    /** Waits until the commit in flight, if any, has succeeded (retrying it) and records its outcome. */
    void settle() {
        InFlight current = inFlight;
        if (current == null) {
            return;
        }
        inFlight = null;
        Batch batch = current.batch();
        int size = current.entries().size();
        int deleted = current.deleted();
        BatchCommitter.Commit commit = current.commit();
        while (true) {
            Done done = awaitUntilDone(batch, commit);
            refusal.cleared();
            backoff.reset();
            BatchCommitter.Result result = done.result();
            switch (result.outcome()) {
                case APPLIED -> {
                    if (result.settleRefusal() != null) {
                        metrics.settleFailed();
                        LOG.warnf("Commit applied, but %s", result.settleRefusal());
                    }
                    metrics.applied(batch, result.foldedEvents(), done.repliedAtMillis());
                    metrics.deleted(deleted);
                    return;
                }
                case DUPLICATE -> {
                    metrics.duplicate(batch);
                    return;
                }
                case NOT_ALL_OWNED -> {
                    Set<String> owned = new HashSet<>(result.ownedIds());
                    LOG.warnf("%d of %d entries were taken over by another consumer; committing the %d still owned",
                            size - owned.size(), size, owned.size());
                    metrics.takenOver(size - owned.size());
                    size = owned.size();
                    if (size == 0) {
                        return;
                    }
                    deleted = assembler.fill(batch, current.entries(), owned, current.deliveries());
                    commit = send(batch);
                }
            }
        }
    }

    /** Sends the batch's commit; null when sending itself failed (awaitUntilDone then sends it again). */
    private BatchCommitter.Commit send(Batch batch) {
        try {
            return committer.send(batch);
        } catch (RuntimeException e) {
            failed(batch, e);
            return null;
        }
    }

    /** The commit's outcome, sending the same batch again after each failure until it succeeds or the loop stops. */
    private Done awaitUntilDone(Batch batch, BatchCommitter.Commit sent) {
        BatchCommitter.Commit commit = sent;
        while (true) {
            try {
                if (commit == null) {
                    commit = committer.send(batch);
                }
                BatchCommitter.Result result = commit.await();
                metrics.commitTook(commit.roundTripNanos());
                return new Done(result, clock.millis() - commit.repliedNanosAgo() / 1_000_000);
            } catch (RuntimeException e) {
                commit = null;
                failed(batch, e);
            }
        }
    }

    private void failed(Batch batch, RuntimeException e) {
        metrics.commitFailed();
        if (!running.getAsBoolean() || ConsumerGroup.isMissing(e)) {
            // A missing group does not come back by retrying: its pending entries are gone, and once the loop has
            // created it again, the stream is read from the start, these entries included.
            refusal.cleared();
            throw e;
        }
        if (CommitRefusal.isRefusal(e)) {
            if (refusal.refused(e.getMessage(), batch.entries(), clock.millis())) {
                LOG.warnf("Redis refused the commit of %d entries (%s); nothing of it was applied, its entries stay "
                        + "with this consumer, and it is tried again every %s or sooner until that is mended (said "
                        + "again once a minute while it lasts)", batch.entries(), e.getMessage(), backoff.max());
            }
        } else {
            LOG.warnf("Commit of %d entries failed (%s); retrying in %s", batch.entries(), e.toString(),
                    backoff.current());
        }
        keep(batch);
        heartbeat.run();
        backoff.pause();
    }

    /** Keeps the batch's entries with this consumer until the next try; a failure here only leaves them as they are. */
    private void keep(Batch batch) {
        try {
            hold.keep(batch);
        } catch (RuntimeException e) {
            LOG.debugf("Could not reset the idle time of the entries of the commit being retried (%s)", e.toString());
        }
    }

    /** A commit's outcome and the wall-clock time its reply arrived (the end of its events' latency). */
    private record Done(BatchCommitter.Result result, long repliedAtMillis) {
    }

    private record InFlight(RawEntries entries, Map<String, Long> deliveries, Batch batch, int deleted,
            BatchCommitter.Commit commit) {
    }
}
