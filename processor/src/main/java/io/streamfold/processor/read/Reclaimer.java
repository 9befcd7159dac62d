package io.streamfold.processor.read;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.KeyLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes over entries left pending by dead or stuck consumers ({@code XAUTOCLAIM} after a minimum
 * idle time), walking the whole pending list with a cursor, one batch per call. Entries deleted
 * or trimmed from the stream meanwhile are dropped from the pending list by Redis and reported.
 */
public final class Reclaimer {

    /** What one XAUTOCLAIM returned: entries now owned by this consumer, and how many were gone from the stream. */
    public record Claim(RawEntries entries, int deleted) {
    }

    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;
    private final String consumer;
    private final long minIdleMillis;
    private final int count;
    private final RawEntries entries;
    private String cursor = "0-0";

    public Reclaimer(RedisCommands<String, String> redis, KeyLayout keys, String consumer, Duration minIdle, int count,
            List<String> fieldNames) {
        this.entries = new RawEntries(fieldNames);
        this.redis = redis;
        this.keys = keys;
        this.consumer = consumer;
        this.minIdleMillis = minIdle.toMillis();
        this.count = count;
    }

    /** Whether the last call stopped mid-way through the pending list (call again soon). */
    public boolean midway() {
        return !"0-0".equals(cursor);
    }

    public Claim claim() {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey(keys.stream()).add(keys.group())
                .add(consumer).add(minIdleMillis).add(cursor).add("COUNT").add(count);
        List<Object> reply = redis.dispatch(CommandType.XAUTOCLAIM, new NestedMultiOutput<>(StringCodec.UTF8), args);
        cursor = (String) reply.get(0);
        entries.clear();
        for (Object entry : (List<?>) reply.get(1)) {
            List<?> pair = (List<?>) entry;
            entries.add((String) pair.get(0), fields((List<?>) pair.get(1)));
        }
        int deleted = reply.size() > 2 ? ((List<?>) reply.get(2)).size() : 0;
        return new Claim(entries, deleted);
    }

    private static Map<String, String> fields(List<?> flat) {
        if (flat == null) {
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return fields;
    }
}
