package io.streamfold.processor.stream;

import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.streamfold.contract.KeyLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads batches for one consumer over a connection of its own: first the entries already pending
 * for it (left by an earlier run of this consumer), then new entries. One XREADGROUP per batch.
 *
 * <p>New entries are read one batch ahead: as soon as a batch arrives, the read of the next one is
 * sent, so Redis serves it (or waits for entries) while this batch is aggregated and committed on
 * the other connection. At most one read is outstanding, so at most two batches are in memory.
 */
final class BatchReader {

    private final RedisAsyncCommands<String, String> redis;
    private final Consumer<String> consumer;
    private final XReadArgs pendingArgs;
    private final XReadArgs newArgs;
    private final StreamOffset<String> pending;
    private final StreamOffset<String> fresh;
    private final long replyTimeoutMillis;
    private RedisFuture<List<StreamMessage<String, String>>> ahead;
    private boolean drainingPending = true;
    private boolean lastWasRedelivery;

    BatchReader(RedisAsyncCommands<String, String> redis, KeyLayout keys, String consumerName, int batchSize,
            Duration block, Duration commandTimeout) {
        this.redis = redis;
        this.consumer = Consumer.from(keys.group(), consumerName);
        this.pendingArgs = XReadArgs.Builder.count(batchSize);
        this.newArgs = XReadArgs.Builder.count(batchSize).block(block);
        this.pending = StreamOffset.from(keys.stream(), "0");
        this.fresh = StreamOffset.lastConsumed(keys.stream());
        this.replyTimeoutMillis = block.plus(commandTimeout).toMillis();
    }

    /** The next batch; empty when nothing arrived within the block time. */
    List<StreamMessage<String, String>> next() {
        if (drainingPending) {
            // Not read ahead: pending entries stay pending until committed, a second read would return them again.
            List<StreamMessage<String, String>> messages = await(redis.xreadgroup(consumer, pendingArgs, pending));
            if (!messages.isEmpty()) {
                lastWasRedelivery = true;
                return messages;
            }
            drainingPending = false;
        }
        lastWasRedelivery = false;
        RedisFuture<List<StreamMessage<String, String>>> read = ahead != null ? ahead : readNew();
        ahead = null;
        List<StreamMessage<String, String>> messages = await(read);
        if (!messages.isEmpty()) {
            ahead = readNew();
        }
        return messages;
    }

    /** Whether a read of the next batch is outstanding. */
    boolean readingAhead() {
        return ahead != null;
    }

    /**
     * Stops reading ahead and returns what the outstanding read brought (the consumer owns those
     * entries now, so they should be committed before it stops); empty if there was none.
     */
    List<StreamMessage<String, String>> finish() {
        RedisFuture<List<StreamMessage<String, String>>> read = ahead;
        ahead = null;
        return read == null ? List.of() : await(read);
    }

    /** Whether the last batch held this consumer's pending entries, delivered before (not new ones). */
    boolean lastWasRedelivery() {
        return lastWasRedelivery;
    }

    /**
     * Reads this consumer's pending entries again first (after the group was recreated). An
     * outstanding read is dropped: Redis answers it before the next one on this connection, and
     * whatever it delivered is pending for this consumer, so the pending read returns it.
     */
    void rewind() {
        ahead = null;
        drainingPending = true;
    }

    private RedisFuture<List<StreamMessage<String, String>>> readNew() {
        return redis.xreadgroup(consumer, newArgs, fresh);
    }

    private List<StreamMessage<String, String>> await(RedisFuture<List<StreamMessage<String, String>>> read) {
        return LettuceFutures.awaitOrCancel(read, replyTimeoutMillis, TimeUnit.MILLISECONDS);
    }
}
