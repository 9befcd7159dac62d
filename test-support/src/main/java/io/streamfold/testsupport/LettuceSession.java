package io.streamfold.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/** A test's own Lettuce client and connections to its Redis, closed together. */
public final class LettuceSession implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private StatefulRedisConnection<String, byte[]> binary;

    public LettuceSession(String uri) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Commands whose values are raw bytes (keys and fields still text), for binary values such as session summaries. */
    public RedisCommands<String, byte[]> binary() {
        if (binary == null) {
            binary = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        }
        return binary.sync();
    }

    @Override
    public void close() {
        if (binary != null) {
            binary.close();
        }
        connection.close();
        client.shutdown();
    }
}
