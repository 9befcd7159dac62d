package io.streamfold.processor.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.processor.config.ProcessorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Owns the Lettuce client. The consume loop gets a connection of its own (its blocking reads must
 * not delay anything else); health checks share another.
 */
@ApplicationScoped
public class LettuceConnections {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;

    LettuceConnections(ProcessorConfig config) {
        this.client = RedisClient.create(uri(config.redis()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(config.redis().timeout()))
                .build());
        this.shared = client.connect();
    }

    static RedisURI uri(RedisConfig redis) {
        RedisURI uri = RedisURI.create(redis.url());
        uri.setTimeout(redis.timeout());
        redis.username().ifPresent(uri::setUsername);
        redis.password().ifPresent(password -> uri.setPassword(password.toCharArray()));
        return uri;
    }

    /** A new connection for one owner, who closes it. */
    public StatefulRedisConnection<String, String> connect() {
        return client.connect();
    }

    /** The connection shared by short, non-blocking commands (health checks). */
    public StatefulRedisConnection<String, String> shared() {
        return shared;
    }

    @PreDestroy
    void close() {
        shared.close();
        client.shutdown();
    }
}
