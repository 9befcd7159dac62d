package io.streamfold.contract.config;

import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The services' Redisson clients, built from {@code streamfold.redis.*} ({@link RedisConfig}): plain Redisson, as the
 * Redisson Quarkus extension is not published for this Quarkus line ({@code redisson-quarkus-33} is absent from Maven
 * Central and {@code redisson-quarkus-30} stops at 3.45.1). Lazy: a client connects on first use. The API and the
 * processor each produce theirs with this (Redisson is on their class path; this module only compiles against it).
 */
public final class RedissonClients {

    private RedissonClients() {
    }

    /**
     * A single-server client.
     *
     * @param pool its connections: the least kept idle and the most, and the most for subscriptions (locks)
     */
    public static RedissonClient create(RedisConfig redis, Pool pool) {
        Config settings = new Config();
        settings.setLazyInitialization(true);
        int timeoutMillis = (int) redis.timeout().toMillis();
        var server = settings.useSingleServer()
                .setAddress(redis.url())
                .setTimeout(timeoutMillis)
                .setConnectTimeout(timeoutMillis)
                .setConnectionMinimumIdleSize(pool.minimumIdle())
                .setConnectionPoolSize(pool.size())
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(pool.subscriptions());
        redis.username().ifPresent(server::setUsername);
        redis.password().ifPresent(server::setPassword);
        return Redisson.create(settings);
    }

    /** Shuts a client down at once, waiting at most 2 s for what it is sending (the service is stopping). */
    public static void close(RedissonClient redisson) {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * A client's connections.
     *
     * @param minimumIdle   connections kept open while idle
     * @param size          the most connections
     * @param subscriptions the most subscription connections (Redisson's locks wait on a channel)
     */
    public record Pool(int minimumIdle, int size, int subscriptions) {
    }
}
