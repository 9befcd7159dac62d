package io.streamfold.processor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** A test's own Lettuce client and connection to its Redis, closed together. */
public final class LettuceSession implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public LettuceSession(String uri) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
