package io.streamfold.api.config;

import io.smallrye.config.ConfigMapping;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.contract.config.SchemaConfig;
import io.streamfold.contract.config.StreamConfig;

/** Every setting of the API, under {@code streamfold.*}. */
@ConfigMapping(prefix = "streamfold")
public interface ApiConfig {

    /** Connection to Redis. */
    RedisConfig redis();

    /** The stream and consumer group whose aggregates are served. */
    StreamConfig stream();

    /** The event schema (dimensions, scale). */
    SchemaConfig schema();
}
