package io.streamfold.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.contract.config.SchemaConfig;
import io.streamfold.contract.config.StreamConfig;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;

/** Every setting of the API, under {@code streamfold.*}. */
@ConfigMapping(prefix = "streamfold")
public interface ApiConfig {

    /** Connection to Redis. */
    RedisConfig redis();

    /** The stream and consumer group whose aggregates are served. */
    StreamConfig stream();

    /** The event schema (dimensions, scale). */
    SchemaConfig schema();

    /** Who may call the API, how often, and how much one request may carry. */
    Access access();

    /** Settings of access and ingestion. */
    interface Access {

        /**
         * API keys by name ({@code streamfold.access.keys.<name>=<key>}, e.g. from a Secret through
         * {@code STREAMFOLD_ACCESS_KEYS__DASHBOARD_}); required for every POST. The name is what metrics and
         * rate limits see; the key itself is never logged.
         */
        Map<String, String> keys();

        /** Whether reads (GET) need an API key too. */
        @WithDefault("false")
        boolean keysForReads();

        /** Requests per second allowed per API key, fleet-wide (a Redisson rate limiter shared by all replicas). */
        @WithDefault("200")
        @Positive
        long requestsPerSecond();

        /** Most events one {@code POST /events} may carry. */
        @WithDefault("1000")
        @Positive
        int maxEventsPerRequest();

        /** Largest accepted request body, in bytes. */
        @WithDefault("1048576")
        @Positive
        int maxBodyBytes();

        /** How long an {@code Idempotency-Key} is remembered, so a retried request is not enqueued twice. */
        @WithDefault("24h")
        @DurationMin(seconds = 1)
        Duration idempotencyTtl();
    }
}
