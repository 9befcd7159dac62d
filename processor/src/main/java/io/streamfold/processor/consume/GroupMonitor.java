package io.streamfold.processor.consume;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streamfold.contract.GroupInfo;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.redis.LettuceConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * Looks at the consumer group (XINFO GROUPS) and the stream's length (XLEN) now and then, off the
 * hot path, and exports what it saw as gauges: pending entries, lag, consumers, entries in the
 * stream. Gauges read NaN until the first look succeeds or while the group is missing. Also answers
 * the readiness check's question, with a timeout.
 */
@ApplicationScoped
public class GroupMonitor {

    private static final Logger LOG = Logger.getLogger(GroupMonitor.class);

    private final LettuceConnections connections;
    private final KeyLayout keys;
    private final Duration interval;
    private final Duration timeout;
    private volatile Optional<GroupInfo> latest = Optional.empty();
    private volatile double streamEntries = Double.NaN;
    private ScheduledExecutorService scheduler;

    GroupMonitor(LettuceConnections connections, ProcessorConfig config, MeterRegistry registry) {
        this.connections = connections;
        this.keys = config.stream().keys();
        this.interval = config.consumer().statsInterval();
        this.timeout = config.redis().timeout();
        Gauge.builder("processor.group.pending", this, monitor -> monitor.value(GroupInfo::pending))
                .description("Entries delivered to the group and not yet acknowledged (XINFO GROUPS)").register(registry);
        Gauge.builder("processor.group.lag", this, monitor -> monitor.latest.flatMap(GroupInfo::lag).map(Long::doubleValue)
                        .orElse(Double.NaN))
                .description("Entries in the stream not yet delivered to the group (XINFO GROUPS, Redis 7+)").register(registry);
        Gauge.builder("processor.group.consumers", this, monitor -> monitor.value(GroupInfo::consumers))
                .description("Consumers the group knows (XINFO GROUPS)").register(registry);
        Gauge.builder("processor.stream.entries", this, monitor -> monitor.streamEntries)
                .description("Entries in the stream (XLEN): what the groups have yet to read or acknowledge, and what "
                        + "trimming has not removed").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "group-monitor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** The group as Redis reports it now; empty when the stream or group does not exist. Throws when Redis does not answer in time. */
    public Optional<GroupInfo> look(Duration within) throws Exception {
        try {
            List<Object> reply = connections.shared().async().xinfoGroups(keys.stream()).get(within.toMillis(), TimeUnit.MILLISECONDS);
            return GroupInfo.find(reply, keys.group());
        } catch (ExecutionException e) {
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).startsWith("ERR no such key")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public KeyLayout keys() {
        return keys;
    }

    private void sample() {
        try {
            latest = look(timeout);
            streamEntries = latest.isPresent()
                    ? connections.shared().async().xlen(keys.stream()).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    : Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            latest = Optional.empty();
            streamEntries = Double.NaN;
            LOG.debugf("Could not look at group %s: %s", keys.group(), e.toString());
        }
    }

    private double value(ToLongFunction<GroupInfo> field) {
        return latest.map(group -> (double) field.applyAsLong(group)).orElse(Double.NaN);
    }
}
