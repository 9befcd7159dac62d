package io.streamfold.producer.load;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.streamfold.producer.config.ProducerConfig;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/** Writes {@code count} events (or until stopped) at {@code rate} events/s, then exits. */
@QuarkusMain
public class ProducerMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(ProducerMain.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final ProducerConfig config;
    private volatile boolean stopping;

    ProducerMain(ProducerConfig config) {
        this.config = config;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    /**
     * Retries a batch Redis did not confirm (a restart, a failover) until it is accepted or the
     * producer stops. Production is at-least-once: a retried batch may be written twice.
     */
    private void writeUntilAccepted(StreamWriter writer, List<Map<String, String>> batch) {
        long pauseMillis = 100;
        while (true) {
            try {
                writer.write(batch);
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("Writing %d events failed (%s); retrying in %d ms", batch.size(), e.toString(), pauseMillis);
                LockSupport.parkNanos(pauseMillis * 1_000_000);
                pauseMillis = Math.min(pauseMillis * 2, 5_000);
            }
        }
    }

    @Override
    public int run(String... args) {
        ProducerConfig.Load load = config.producer();
        long seed = load.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        EventGenerator generator = new EventGenerator(seed, load.products(), load.users());
        int batchSize = load.rate() == 0 ? load.pipeline() : Math.max(1, Math.min(load.pipeline(), load.rate() / 20));
        long nanosPerBatch = load.rate() == 0 ? 0 : 1_000_000_000L * batchSize / load.rate();
        String stream = config.stream().keys().stream();
        LOG.infof("Producing %s events to %s at %s (seed %d)", load.count() == 0 ? "unlimited" : load.count(), stream,
                load.rate() == 0 ? "full speed" : load.rate() + " events/s", seed);

        long written = 0;
        long started = System.nanoTime();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        List<Map<String, String>> batch = new ArrayList<>(batchSize);
        try (StreamWriter writer = new StreamWriter(config.redis(), stream)) {
            while (!stopping && (load.count() == 0 || written < load.count())) {
                int size = (int) (load.count() == 0 ? batchSize : Math.min(batchSize, load.count() - written));
                batch.clear();
                long now = System.currentTimeMillis();
                for (int i = 0; i < size; i++) {
                    batch.add(generator.next(now));
                }
                writeUntilAccepted(writer, batch);
                written += size;
                long due = started + written / batchSize * nanosPerBatch;
                if (nanosPerBatch > 0 && due > System.nanoTime()) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                if (System.nanoTime() > nextProgress) {
                    LOG.infof("%d events written", written);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof("Wrote %d events in %.1f s (%.0f events/s)", written, seconds, written / Math.max(seconds, 1e-9));
        return 0;
    }
}
