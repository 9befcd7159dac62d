package io.streamfold.processor.cleanup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.consume.ConsumerLoop;
import io.streamfold.processor.redis.LettuceConnections;
import io.streamfold.processor.schedule.PeriodicTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;

/**
 * Runs an {@link IdleConsumerCleaner} pass every {@code cleanup-interval} on a daemon thread of its
 * own, so consumers left behind by stopped, crashed or scaled-in processors are removed from the
 * group. A failed pass is logged, counted and simply tried again at the next interval.
 */
@ApplicationScoped
public class ConsumerCleanup {

    private static final Logger LOG = Logger.getLogger(ConsumerCleanup.class);

    private final LettuceConnections connections;
    private final RedissonClient redisson;
    private final ConsumerLoop loop;
    private final KeyLayout keys;
    private final Duration minIdle;
    private final Duration interval;
    private final Duration stopTimeout;
    private final Counter removed;
    private final Counter errors;

    private PeriodicTask passes;
    /** Built by the first pass, on the passes' thread, and only used there. */
    private IdleConsumerCleaner cleaner;

    ConsumerCleanup(ProcessorConfig config, LettuceConnections connections, RedissonClient redisson, ConsumerLoop loop,
            MeterRegistry registry) {
        this.connections = connections;
        this.redisson = redisson;
        this.loop = loop;
        this.keys = config.stream().keys();
        this.minIdle = config.consumer().cleanupIdle();
        this.interval = config.consumer().cleanupInterval();
        this.stopTimeout = config.redis().timeout().multipliedBy(2);
        if (minIdle.compareTo(config.consumer().block()) <= 0) {
            throw new IllegalArgumentException("streamfold.consumer.cleanup-idle (" + minIdle
                    + ") must be longer than streamfold.consumer.block (" + config.consumer().block()
                    + "), or live consumers waiting for entries would be removed");
        }
        this.removed = Counter.builder("processor.consumers.removed")
                .description("Dead consumers removed from the group (idle, nothing pending; XGROUP DELCONSUMER)")
                .register(registry);
        this.errors = Counter.builder("processor.errors").tag("stage", "cleanup")
                .description("Failed passes of the dead-consumer cleanup (each tried again next interval)")
                .register(registry);
    }

    void start(@Observes StartupEvent startup) {
        passes = PeriodicTask.start("consumer-cleanup", interval, this::runPass);
        LOG.infof("Removing consumers of group %s idle for %s with nothing pending, every %s (lock %s)", keys.group(),
                minIdle, interval, keys.cleanupLock());
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (passes != null) {
            passes.stop(stopTimeout);
        }
    }

    private void runPass() {
        try {
            if (cleaner == null) {
                cleaner = new IdleConsumerCleaner(connections.shared().sync(), keys, loop.consumerName(), minIdle,
                        redisson.getLock(keys.cleanupLock()), interval);
            }
            IdleConsumerCleaner.Pass pass = cleaner.pass();
            if (!pass.ran()) {
                LOG.debugf("Another processor holds %s; no cleanup this time", keys.cleanupLock());
            } else if (!pass.removed().isEmpty()) {
                removed.increment(pass.removed().size());
                LOG.infof("Removed dead consumers of group %s (idle for %s or more, nothing pending): %s", keys.group(),
                        minIdle, String.join(", ", pass.removed()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.increment();
            LOG.warnf("Removing dead consumers of group %s on %s failed (%s); trying again in %s", keys.group(),
                    keys.stream(), e.toString(), interval);
        }
    }
}
