package io.streamfold.api.redis;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.contract.config.RedissonClients;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.redisson.api.RedissonClient;

/** The API's Redis client ({@link RedissonClients}): up to 16 connections for concurrent requests, 2 kept idle. */
public class RedissonClientProducer {

    private static final RedissonClients.Pool POOL = new RedissonClients.Pool(2, 16, 50);

    @Produces
    @Singleton
    RedissonClient redisson(ApiConfig config) {
        return RedissonClients.create(config.redis(), POOL);
    }

    void close(@Disposes RedissonClient redisson) {
        RedissonClients.close(redisson);
    }
}
