package io.streamfold.producer.load;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.streamfold.contract.config.RedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Appends events to the stream, one pipelined round trip (flushed XADDs) per call. */
final class StreamWriter implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final String stream;
    private final Duration timeout;
    private final List<RedisFuture<String>> pending = new ArrayList<>();

    StreamWriter(RedisConfig config, String stream) {
        RedisURI uri = RedisURI.create(config.url());
        uri.setTimeout(config.timeout());
        config.username().ifPresent(uri::setUsername);
        config.password().ifPresent(password -> uri.setPassword(password.toCharArray()));
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.redis = connection.async();
        connection.setAutoFlushCommands(false);
        this.stream = stream;
        this.timeout = config.timeout();
    }

    /** Writes every event in one round trip; fails if Redis did not take them all. */
    void write(List<Map<String, String>> events) {
        pending.clear();
        for (Map<String, String> event : events) {
            pending.add(redis.xadd(stream, event));
        }
        connection.flushCommands();
        if (!LettuceFutures.awaitAll(timeout, pending.toArray(RedisFuture[]::new))) {
            throw new IllegalStateException("Redis did not confirm " + events.size() + " XADDs within " + timeout);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
