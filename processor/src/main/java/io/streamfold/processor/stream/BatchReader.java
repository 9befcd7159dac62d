package io.streamfold.processor.stream;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import java.time.Duration;
import java.util.List;

/**
 * Reads batches for one consumer: first the entries already pending for it (left by an earlier
 * run of this consumer), then new entries. One XREADGROUP per batch.
 */
final class BatchReader {

    private final RedisCommands<String, String> redis;
    private final Consumer<String> consumer;
    private final XReadArgs pendingArgs;
    private final XReadArgs newArgs;
    private final StreamOffset<String> pending;
    private final StreamOffset<String> fresh;
    private boolean drainingPending = true;
    private boolean lastWasRedelivery;

    BatchReader(RedisCommands<String, String> redis, KeyLayout keys, String consumerName, int batchSize, Duration block) {
        this.redis = redis;
        this.consumer = Consumer.from(keys.group(), consumerName);
        this.pendingArgs = XReadArgs.Builder.count(batchSize);
        this.newArgs = XReadArgs.Builder.count(batchSize).block(block);
        this.pending = StreamOffset.from(keys.stream(), "0");
        this.fresh = StreamOffset.lastConsumed(keys.stream());
    }

    /** The next batch; empty when nothing arrived within the block time. */
    List<StreamMessage<String, String>> next() {
        if (drainingPending) {
            List<StreamMessage<String, String>> messages = redis.xreadgroup(consumer, pendingArgs, pending);
            if (!messages.isEmpty()) {
                lastWasRedelivery = true;
                return messages;
            }
            drainingPending = false;
        }
        lastWasRedelivery = false;
        return redis.xreadgroup(consumer, newArgs, fresh);
    }

    /** Whether the last batch held this consumer's pending entries, delivered before (not new ones). */
    boolean lastWasRedelivery() {
        return lastWasRedelivery;
    }

    /** Reads this consumer's pending entries again first (after the group was recreated or a failed commit). */
    void rewind() {
        drainingPending = true;
    }
}
