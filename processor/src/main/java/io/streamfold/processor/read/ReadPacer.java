package io.streamfold.processor.read;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Spaces the reads of new entries while the stream is drained: a read waits until
 * {@code streamfold.consumer.read-interval} has passed since the one before was sent. A commit's
 * cost in Redis is mostly per cell its batch touches (each minute's totals, every dimension value
 * seen), which hardly grows with the batch, so at a steady rate a batch that spans a little longer
 * costs Redis less per event and leaves it room to catch up after a stall. Reads sent ahead while
 * there is a backlog are never held back, and a read sent long after the one before (a read that
 * waited for entries, a slow commit) does not wait at all.
 */
public final class ReadPacer {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final LongConsumer park;
    private long lastSent;

    ReadPacer(Duration interval) {
        this(interval, System::nanoTime, LockSupport::parkNanos);
    }

    ReadPacer(Duration interval, LongSupplier nanoTime, LongConsumer park) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.park = park;
        this.lastSent = nanoTime.getAsLong() - intervalNanos; // the first read does not wait
    }

    /** Waits out the rest of the interval since the last read was sent; returns at once if it is over. */
    void awaitTurn() {
        long due = lastSent + intervalNanos;
        for (long wait = due - nanoTime.getAsLong(); wait > 0; wait = due - nanoTime.getAsLong()) {
            park.accept(wait); // parkNanos may return early
        }
    }

    /** Notes that a read of new entries is being sent now. */
    void sent() {
        lastSent = nanoTime.getAsLong();
    }
}
