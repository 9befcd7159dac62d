package io.streamfold.processor.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script from the processor's resources, run with EVALSHA: loaded on first use, loaded again
 * when Redis answers NOSCRIPT (script cache flushed, failover, restart). Not thread-safe: one per user.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
    }

    /** The script {@code resource}, next to {@code owner} in the class path. */
    public static LuaScript of(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the processor's resources");
            }
            return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    public <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        if (sha == null) {
            sha = redis.scriptLoad(source);
        }
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException flushedOrFailedOver) {
            sha = redis.scriptLoad(source);
            return redis.evalsha(sha, type, keys, args);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
