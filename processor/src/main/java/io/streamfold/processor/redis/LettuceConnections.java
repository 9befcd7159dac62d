package io.streamfold.processor.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.streamfold.contract.config.RedisConfig;
import io.streamfold.processor.config.ProcessorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Owns the Lettuce client. The consume loop gets a connection of its own (its blocking reads must
 * not delay anything else); health checks share another.
 */
@ApplicationScoped
public class LettuceConnections {

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;

    LettuceConnections(ProcessorConfig config, MeterRegistry registry) {
        // Reconnects back off exponentially up to max-backoff, with jitter, so a fleet does not reconnect in lockstep.
        this.resources = DefaultClientResources.builder().reconnectDelay(Delay.equalJitter(Duration.ofMillis(10),
                config.consumer().maxBackoff(), 10, TimeUnit.MILLISECONDS)).build();
        this.client = RedisClient.create(resources, uri(config.redis()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(config.redis().timeout()))
                .build());
        Counter lost = Counter.builder("processor.redis.disconnects")
                .description("Connections to Redis lost (each is re-established with backoff)").register(registry);
        Counter attempts = Counter.builder("processor.redis.reconnect.attempts")
                .description("Attempts to re-establish a lost connection").register(registry);
        client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent) {
                lost.increment();
            } else if (event instanceof ReconnectAttemptEvent) {
                attempts.increment();
            }
        });
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
        resources.shutdown();
    }
}
