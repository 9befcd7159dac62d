package io.streamfold.bench;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Redis's own rate for the consume work alone: XREADGROUP + XACK of batches in a Lua loop inside
 * the server — no client, no network, no parsing, no aggregation. The upper bound any processor can reach.
 */
final class RedisCeiling {

    private static final String LOOP = """
            local stream, group, limit, count = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
            local n = 0
            while n < limit do
              local reply = redis.call('XREADGROUP', 'GROUP', group, 'ceiling', 'COUNT', count, 'STREAMS', stream, '>')
              if not reply then break end
              local entries = reply[1][2]
              local ids = {}
              for i = 1, #entries do ids[i] = entries[i][1] end
              for from = 1, #ids, 1000 do
                redis.call('XACK', stream, group, unpack(ids, from, math.min(from + 999, #ids)))
              end
              n = n + #entries
            end
            return n
            """;
    private static final String GROUP = "bench-ceiling";

    private RedisCeiling() {
    }

    /** Entries per second read and acknowledged by the loop over the whole stream, in batches of {@code batchSize}. */
    static double measure(RedisCommands<String, String> redis, String stream, int batchSize) {
        redis.xgroupCreate(StreamOffset.from(stream, "0"), GROUP);
        try {
            String sha = redis.scriptLoad(LOOP);
            long entries = 0;
            long started = System.nanoTime();
            long chunk;
            do {
                chunk = redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {stream}, GROUP, "100000",
                        String.valueOf(batchSize));
                entries += chunk;
            } while (chunk > 0);
            return entries / ((System.nanoTime() - started) / 1e9);
        } finally {
            redis.xgroupDestroy(stream, GROUP);
        }
    }
}
