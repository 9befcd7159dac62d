package io.streamfold.api.redis;

import io.streamfold.contract.LuaSource;
import java.util.List;
import java.util.Objects;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/**
 * A Lua script ({@link LuaSource}), run by EVALSHA through Redisson and loaded when Redis answers NOSCRIPT (first use,
 * script cache flushed, failover, restart). Thread-safe.
 */
public final class RedisScript {

    private final LuaSource source;
    private final RScript.Mode mode;

    private RedisScript(LuaSource source, RScript.Mode mode) {
        this.source = Objects.requireNonNull(source, "source");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** The script {@code name} next to {@code owner}'s class file; {@code mode} says whether it writes. */
    public static RedisScript of(Class<?> owner, String name, RScript.Mode mode) {
        return new RedisScript(LuaSource.of(owner, name), mode);
    }

    /** A script another module ships; {@code mode} says whether it writes. */
    public static RedisScript of(LuaSource source, RScript.Mode mode) {
        return new RedisScript(source, mode);
    }

    /** Runs the script; its reply is a (nested) list of strings, longs and nulls. */
    public List<Object> run(RedissonClient redisson, List<Object> keys, Object... args) {
        RScript script = redisson.getScript(StringCodec.INSTANCE);
        try {
            return script.evalSha(mode, source.sha1(), RScript.ReturnType.MULTI, keys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            script.scriptLoad(source.text()); // the same SHA-1
            return script.evalSha(mode, source.sha1(), RScript.ReturnType.MULTI, keys, args);
        }
    }
}
