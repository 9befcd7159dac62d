package io.streamfold.api.redis;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.contract.config.RedisConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The API's Redis client. Plain Redisson configured from {@link ApiConfig}: the Redisson Quarkus
 * extension is not published for this Quarkus line ({@code redisson-quarkus-33} is absent from
 * Maven Central and {@code redisson-quarkus-30} stops at 3.45.1).
 */
public class RedissonClientProducer {

    @Produces
    @Singleton
    RedissonClient redisson(ApiConfig config) {
        RedisConfig redis = config.redis();
        Config settings = new Config();
        settings.setLazyInitialization(true);
        int timeoutMillis = (int) redis.timeout().toMillis();
        var server = settings.useSingleServer()
                .setAddress(redis.url())
                .setTimeout(timeoutMillis)
                .setConnectTimeout(timeoutMillis)
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16);
        redis.username().ifPresent(server::setUsername);
        redis.password().ifPresent(server::setPassword);
        return Redisson.create(settings);
    }

    void close(@Disposes RedissonClient redisson) {
        redisson.shutdown();
    }
}
