package io.streamfold.processor.redis;

import io.streamfold.contract.config.RedissonClients;
import io.streamfold.processor.config.ProcessorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.redisson.api.RedissonClient;

/**
 * The processor's Redisson client ({@link RedissonClients}), for its locks only (everything else goes through Lettuce):
 * two connections and one for subscriptions; built on first use (application-scoped behind a client proxy).
 */
public class RedissonClientProducer {

    private static final RedissonClients.Pool POOL = new RedissonClients.Pool(1, 2, 1);

    @Produces
    @ApplicationScoped
    RedissonClient redisson(ProcessorConfig config) {
        return RedissonClients.create(config.redis(), POOL);
    }

    void close(@Disposes RedissonClient redisson) {
        RedissonClients.close(redisson);
    }
}
