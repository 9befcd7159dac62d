package io.streamfold.e2e;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test's own consumer group on the stream, created before anything is written, through which a
 * test reads back every entry the run appended. The processors trim the stream of what every group
 * has acknowledged, so an entry stays until this group has read it too: reading it now and then
 * during a run ({@link #catchUp()}) lets trimming go on, reading it only at the end keeps every entry.
 */
final class StreamAudit implements AutoCloseable {

    private static final String GROUP = "audit";
    private static final int PAGE = 10_000;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final List<Map<String, String>> entries = new ArrayList<>();

    private StreamAudit(String redisUri) {
        client = RedisClient.create(redisUri);
        connection = client.connect();
        connection.sync().xgroupCreate(StreamOffset.from(StreamContents.STREAM, "0"), GROUP,
                XGroupCreateArgs.Builder.mkstream());
    }

    /** Creates the audit group at the start of the stream (the stream too, if missing). */
    static StreamAudit begin(String redisUri) {
        return new StreamAudit(redisUri);
    }

    /** Reads and acknowledges every entry the group has not read yet. */
    void catchUp() {
        RedisCommands<String, String> redis = connection.sync();
        while (true) {
            List<StreamMessage<String, String>> page = redis.xreadgroup(Consumer.from(GROUP, "auditor"),
                    XReadArgs.Builder.count(PAGE), StreamOffset.lastConsumed(StreamContents.STREAM));
            if (page.isEmpty()) {
                return;
            }
            page.forEach(message -> entries.add(message.getBody()));
            redis.xack(StreamContents.STREAM, GROUP, page.stream().map(StreamMessage::getId).toArray(String[]::new));
        }
    }

    /** The fields of every entry read so far, in stream order. */
    List<Map<String, String>> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
