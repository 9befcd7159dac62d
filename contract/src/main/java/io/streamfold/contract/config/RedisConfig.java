package io.streamfold.contract.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Configuration group for the Redis connection; nested under {@code streamfold.redis}. Credentials
 * come from configuration or the environment ({@code STREAMFOLD_REDIS_PASSWORD}), never from code,
 * and are never logged.
 */
public interface RedisConfig {

    /** Redis URL without credentials, e.g. {@code redis://localhost:6379} or {@code rediss://host:6380}. */
    @WithDefault("redis://localhost:6379")
    String url();

    /** ACL user name, for a least-privilege user; absent means the default user. */
    Optional<String> username();

    /** Password of the ACL user (or {@code requirepass}); absent means none. */
    Optional<String> password();

    /** Timeout of one command. */
    @WithDefault("5s")
    @DurationMin(millis = 1)
    Duration timeout();
}
