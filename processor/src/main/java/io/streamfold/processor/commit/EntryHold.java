package io.streamfold.processor.commit;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.redis.LuaScript;
import io.streamfold.processor.redis.ScriptArguments;

/**
 * Keeps a batch's entries with this consumer while its commit is retried ({@code hold-entries.lua}): their idle time
 * is reset, no delivery is counted, so another processor does not take them over after its min-idle time and back
 * again, each take-over a delivery more toward the dead-letter stream. Not thread-safe: the loop's thread only.
 */
public final class EntryHold {

    private final LuaScript script = LuaScript.of(EntryHold.class, "hold-entries.lua");
    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;
    private final String consumer;
    private final ScriptArguments args = new ScriptArguments();

    public EntryHold(RedisCommands<String, String> redis, KeyLayout keys, String consumer) {
        this.redis = redis;
        this.keys = keys;
        this.consumer = consumer;
    }

    /** Resets the idle time of the batch's entries still pending for this consumer; returns how many those were. */
    public long keep(Batch batch) {
        args.clear();
        args.add(keys.group()).add(consumer).add(batch.entryIds(), 0, batch.entryIdsLength());
        return (Long) script.start(redis, new String[] {keys.stream()}, args).await().get(0);
    }
}
