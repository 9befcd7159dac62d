package io.streamfold.processor.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

    /** Runs the script and waits for its reply. */
    public <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        return this.<T>start(redis, type, keys, args).await();
    }

    /**
     * Sends the script without waiting for its reply (the connection's command timeout applies to
     * {@link Call#await()}); the arrays must not change until then.
     */
    public <T> Call<T> start(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        if (sha == null) {
            sha = redis.scriptLoad(source);
        }
        RedisFuture<T> reply = redis.getStatefulConnection().async().evalsha(sha, type, keys, args);
        return new Call<>(redis, type, keys, args, reply);
    }

    /** A script sent by {@link #start}, its reply not yet awaited. */
    public final class Call<T> {

        private final RedisCommands<String, String> redis;
        private final ScriptOutputType type;
        private final String[] keys;
        private final String[] args;
        private final RedisFuture<T> reply;
        private final long sentNanos = System.nanoTime();
        private volatile long repliedNanos;

        private Call(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String[] args,
                RedisFuture<T> reply) {
            this.redis = redis;
            this.type = type;
            this.keys = keys;
            this.args = args;
            this.reply = reply;
            reply.whenComplete((result, failure) -> repliedNanos = System.nanoTime());
        }

        /** {@link System#nanoTime()} when the script was sent. */
        public long sentNanos() {
            return sentNanos;
        }

        /** {@link System#nanoTime()} when its reply arrived (after {@link #await()} returned). */
        public long repliedNanos() {
            return repliedNanos;
        }

        /** The script's reply; when Redis had lost the script (NOSCRIPT), it is loaded and run again first. */
        public T await() {
            Duration timeout = redis.getStatefulConnection().getTimeout();
            try {
                return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RedisNoScriptException flushedOrFailedOver) {
                sha = redis.scriptLoad(source);
                T result = redis.evalsha(sha, type, keys, args);
                repliedNanos = System.nanoTime();
                return result;
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
