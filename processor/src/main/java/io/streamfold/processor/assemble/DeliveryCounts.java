package io.streamfold.processor.assemble;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.read.RawEntries;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each entry of a batch was delivered (XPENDING's counter), in one round trip. Only
 * batches of redelivered entries (own pending ones after a restart, reclaimed ones) need it:
 * entries read as new were delivered once.
 */
public final class DeliveryCounts {

    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;
    private final Consumer<String> consumer;

    public DeliveryCounts(RedisCommands<String, String> redis, KeyLayout keys, String consumerName) {
        this.redis = redis;
        this.keys = keys;
        this.consumer = Consumer.from(keys.group(), consumerName);
    }

    public Map<String, Long> of(RawEntries entries) {
        String first = entries.firstId();
        String last = entries.lastId();
        List<PendingMessage> pending = redis.xpending(keys.stream(), consumer,
                Range.create(first, last), Limit.from(entries.size() * 2L));
        Map<String, Long> counts = new HashMap<>(pending.size() * 2);
        for (PendingMessage message : pending) {
            counts.put(message.getId(), message.getRedeliveryCount());
        }
        return counts;
    }
}
