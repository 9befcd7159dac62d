package io.streamfold.processor.aggregation;

/**
 * A backend that groups a batch of events by (minute bin, dimension, value): for each such cell,
 * the count, exact sum, min, max and histogram buckets of its events. Every backend (the CPU
 * engine, the GPU kernels) produces exactly the same cells for the same events; the roll-up to
 * the grand total per minute is shared code ({@link Rollup}), not the backend's.
 */
public interface Aggregator extends AutoCloseable {

    /** The minute bin of an event time: {@code floorDiv(ts, 60_000)}. */
    static long minuteOf(long ts) {
        return Math.floorDiv(ts, 60_000L);
    }

    /** Adds the (minute, dimension, value) cells of {@code events} to {@code delta}, which the caller cleared. */
    void aggregate(EventColumns events, CellDelta delta);

    /** A short name for logs and the {@code backend} metric tag. */
    String name();

    @Override
    default void close() {
    }
}
