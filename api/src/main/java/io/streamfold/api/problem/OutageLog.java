package io.streamfold.api.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs the requests answered 503 because Redis is unavailable: the first at once, then at most one line every
 * {@link #EVERY}, counting the requests since the line before. An outage is one event for whoever reads the log,
 * not one line per request (thousands a second on a busy API, each saying the same).
 */
@ApplicationScoped
public class OutageLog {

    /** The least time between two lines. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(OutageLog.class);

    private final LongSupplier nanoTime;
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextLine;

    @Inject
    OutageLog() {
        this(System::nanoTime);
    }

    OutageLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextLine = new AtomicLong(nanoTime.getAsLong());
    }

    /** Notes one request answered 503; returns whether this call wrote a line. */
    boolean answered(String path, String reason, RuntimeException failure) {
        unlogged.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = nextLine.get();
        if (now - due < 0 || !nextLine.compareAndSet(due, now + EVERY.toNanos())) {
            return false;
        }
        long requests = unlogged.getAndSet(0);
        LOG.warnf("Redis is unavailable (%s): %d request(s) answered 503 since the last such line, the latest to %s "
                + "(%s); the next line in %s at the earliest", reason, requests, path, failure, EVERY);
        return true;
    }
}
