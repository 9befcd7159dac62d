package io.streamfold.api.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/** A Lua script from the classpath, run by EVALSHA through Redisson and loaded again when Redis forgot it. */
public final class RedisScript {

    private final String source;
    private final RScript.Mode mode;
    private volatile String sha;

    private RedisScript(String source, RScript.Mode mode) {
        this.source = source;
        this.mode = mode;
    }

    /** The script {@code name} next to {@code owner}'s class file; {@code mode} says whether it writes. */
    public static RedisScript of(Class<?> owner, String name, RScript.Mode mode) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath next to " + owner.getName());
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8), mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** The script whose text is {@code source}, for scripts another module ships; {@code mode} says whether it writes. */
    public static RedisScript of(String source, RScript.Mode mode) {
        return new RedisScript(Objects.requireNonNull(source, "source"), Objects.requireNonNull(mode, "mode"));
    }

    /** Runs the script; its reply is a (nested) list of strings, longs and nulls. */
    public List<Object> run(RedissonClient redisson, List<Object> keys, Object... args) {
        RScript script = redisson.getScript(StringCodec.INSTANCE);
        if (sha == null) {
            sha = script.scriptLoad(source);
        }
        try {
            return script.evalSha(mode, sha, RScript.ReturnType.MULTI, keys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            sha = script.scriptLoad(source);
            return script.evalSha(mode, sha, RScript.ReturnType.MULTI, keys, args);
        }
    }
}
