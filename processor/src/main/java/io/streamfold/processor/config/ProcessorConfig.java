package io.streamfold.processor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.contract.config.SchemaConfig;
import io.streamfold.contract.config.StreamConfig;
import io.streamfold.processor.aggregation.Backend;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** Every setting of the processor, under {@code streamfold.*}. */
@ConfigMapping(prefix = "streamfold")
public interface ProcessorConfig {

    /** Connection to Redis. */
    RedisConfig redis();

    /** The stream and consumer group. */
    StreamConfig stream();

    /** The event schema. */
    SchemaConfig schema();

    /** How this processor consumes. */
    Consumer consumer();

    /** What the aggregates keep. */
    Aggregation aggregation();

    /** How the stream is kept from growing without end. */
    Trim trim();

    /** Settings of the stream trimming: entries every consumer group has acknowledged are removed. */
    interface Trim {

        /** Whether this processor trims the stream; off, the stream keeps every entry appended (about 100 bytes each). */
        @WithDefault("true")
        boolean enabled();

        /** How often this processor trims the stream. */
        @WithDefault("1s")
        @DurationMin(millis = 1)
        Duration interval();

        /**
         * Acknowledged entries younger than this (by the time in their id) are kept, for inspection with XRANGE; 0 trims
         * them as soon as every group has acknowledged them. Each second kept holds about 100 bytes per event appended in it.
         */
        @WithDefault("0s")
        @DurationMin(millis = 0)
        Duration minAge();
    }

    /** Settings of the aggregation model. */
    interface Aggregation {

        /** Distinct values kept per dimension (fleet-wide); events with later new values count as {@code __other__}. */
        @WithDefault("10000")
        @Positive
        int maxValuesPerDimension();

        /**
         * Whether per-session summaries are kept. They are the costliest aggregate in Redis (a read-modify-write
         * per session per batch), so a fleet that does not need them may switch them off.
         */
        @WithDefault("true")
        boolean sessions();

        /** A session's summary expires after this long without events (the session window's gap). */
        @WithDefault("30m")
        @DurationMin(seconds = 1)
        Duration sessionGap();

        /**
         * Which engine aggregates batches: {@code cpu}; {@code gpu} (the processor does not start without a usable CUDA
         * device); {@code auto}, the GPU only where a device initialises, gives the CPU engine's cells and is faster at
         * {@code streamfold.consumer.batch-size} in a start-up calibration, else the CPU.
         */
        @WithDefault("auto")
        Backend backend();
    }

    /** Settings of the consume loop. */
    interface Consumer {

        /** This instance's consumer name, unique in the group; default: host name and process id. */
        Optional<String> name();

        /** Entries read and committed per batch (XREADGROUP COUNT). */
        @WithDefault("1000")
        @Positive
        int batchSize();

        /** How long one read waits for new entries (XREADGROUP BLOCK). */
        @WithDefault("1s")
        @DurationMin(millis = 1)
        Duration block();

        /**
         * While the stream is drained, the least time from one read of new entries to the next, so each commit
         * carries at least this long's events; reads during a backlog are never held back. 0 reads again at once.
         */
        @WithDefault("PT0.0015S")
        @DurationMin(millis = 0)
        Duration readInterval();

        /** Longest pause between retries after a Redis error. */
        @WithDefault("5s")
        @DurationMin(millis = 1)
        Duration maxBackoff();

        /** Entries pending this long with another consumer are taken over (XAUTOCLAIM min-idle-time). */
        @WithDefault("30s")
        @DurationMin(millis = 1)
        Duration reclaimMinIdle();

        /** How often this consumer looks for entries to take over. */
        @WithDefault("5s")
        @DurationMin(millis = 1)
        Duration reclaimInterval();

        /** On shutdown, how long the loop may take to commit the batches it already read before the process exits. */
        @WithDefault("10s")
        @DurationMin(millis = 0)
        Duration drainTimeout();

        /** How often the group's pending count, lag and consumers are sampled for the gauges. */
        @WithDefault("5s")
        @DurationMin(millis = 1)
        Duration statsInterval();

        /** Deliveries after which an entry is dead-lettered instead of processed again (a poison entry). */
        @WithDefault("5")
        @Positive
        int maxDeliveries();

        /** Consumers of the group idle this long with no pending entries are removed (XGROUP DELCONSUMER). */
        @WithDefault("1h")
        @DurationMin(millis = 1)
        Duration cleanupIdle();

        /** How often this processor looks for dead consumers to remove (one processor at a time). */
        @WithDefault("5m")
        @DurationMin(millis = 1)
        Duration cleanupInterval();
    }
}
