package io.streamfold.processor.redis;

import io.streamfold.contract.config.RedisConfig;
import io.streamfold.processor.config.ProcessorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The processor's Redisson client, for its locks only (everything else goes through Lettuce). Plain
 * Redisson configured from {@code streamfold.redis.*}, as in the API; built on first use (the bean
 * is application-scoped behind a client proxy, and connects lazily) and shut down with the
 * application.
 */
public class RedissonClientProducer {

    @Produces
    @ApplicationScoped
    RedissonClient redisson(ProcessorConfig config) {
        RedisConfig redis = config.redis();
        Config settings = new Config();
        settings.setLazyInitialization(true);
        int timeoutMillis = (int) redis.timeout().toMillis();
        var server = settings.useSingleServer()
                .setAddress(redis.url())
                .setTimeout(timeoutMillis)
                .setConnectTimeout(timeoutMillis)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(1);
        redis.username().ifPresent(server::setUsername);
        redis.password().ifPresent(server::setPassword);
        return Redisson.create(settings);
    }

    void close(@Disposes RedissonClient redisson) {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
