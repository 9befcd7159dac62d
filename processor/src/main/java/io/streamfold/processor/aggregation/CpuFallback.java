package io.streamfold.processor.aggregation;

import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The GPU backend as the processor runs it: a batch the GPU fails on (device memory exhausted by a
 * replay spanning days, a kernel fault) is aggregated by the CPU engine instead, so a batch is
 * never lost or retried forever because of the device. Logged (the first failure and every 100th)
 * and counted ({@link #fallbacks()}, in the readiness data).
 */
public final class CpuFallback implements Aggregator {

    private static final Logger LOG = Logger.getLogger(CpuFallback.class);
    private static final long LOG_EVERY = 100;

    private final Aggregator primary;
    private final Aggregator fallback;
    private final AtomicLong fallbacks = new AtomicLong();

    public CpuFallback(Aggregator primary, Aggregator fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public void aggregate(EventColumns events, CellDelta delta) {
        try {
            primary.aggregate(events, delta);
        } catch (RuntimeException e) {
            long count = fallbacks.incrementAndGet();
            if (count % LOG_EVERY == 1) {
                LOG.warnf("The %s backend failed on a batch of %d events (%s); the %s engine aggregated it instead "
                        + "(%d failed batches so far)", primary.name(), events.size(), e.toString(), fallback.name(), count);
            }
            delta.clear();
            fallback.aggregate(events, delta);
        }
    }

    /** Batches the primary failed on. */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            fallback.close();
        }
    }
}
