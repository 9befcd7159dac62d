package io.streamfold.processor.consume;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.read.BatchReader;
import org.jboss.logging.Logger;

/**
 * Creates the stream and its consumer group when missing (an existing group is left as it is), and this consumer in
 * it: a read of new entries makes a consumer a member only once entries arrive, and its own pending entries are read
 * without XREADGROUP ({@link BatchReader}), so a processor on a quiet stream would not be listed otherwise.
 */
public final class ConsumerGroup {

    private static final Logger LOG = Logger.getLogger(ConsumerGroup.class);

    private ConsumerGroup() {
    }

    static void ensure(RedisCommands<String, String> redis, KeyLayout keys, String consumer) {
        try {
            redis.xgroupCreate(StreamOffset.from(keys.stream(), "0"), keys.group(), XGroupCreateArgs.Builder.mkstream());
            LOG.infof("Created consumer group %s on stream %s", keys.group(), keys.stream());
        } catch (RedisBusyException alreadyThere) {
            LOG.debugf("Consumer group %s exists", keys.group());
        }
        redis.xgroupCreateconsumer(keys.stream(), Consumer.from(keys.group(), consumer));
    }

    /** Whether an error says the stream or group is gone (deleted, or Redis restarted empty). */
    static boolean isMissing(RuntimeException e) {
        return e instanceof RedisCommandExecutionException && e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }
}
