package io.streamfold.producer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.contract.config.StreamConfig;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Optional;

/** Every setting of the producer, under {@code streamfold.*}. */
@ConfigMapping(prefix = "streamfold")
public interface ProducerConfig {

    /** Connection to Redis. */
    RedisConfig redis();

    /** The stream written to. */
    StreamConfig stream();

    /** The load to generate. */
    Load producer();

    /** Shape and pace of the generated load. */
    interface Load {

        /** Events to write before exiting; 0 writes until stopped. */
        @WithDefault("0")
        @PositiveOrZero
        long count();

        /** Events per second; 0 writes as fast as Redis takes them. */
        @WithDefault("1000")
        @PositiveOrZero
        int rate();

        /** Events per pipelined round trip (XADDs flushed together). */
        @WithDefault("500")
        @Positive
        int pipeline();

        /** Seed of the generator, for a reproducible event sequence; default: random. */
        Optional<Long> seed();

        /** Distinct products (popularity follows a Zipf law). */
        @WithDefault("50")
        @Positive
        int products();

        /** Distinct users. */
        @WithDefault("10000")
        @Positive
        int users();
    }
}
