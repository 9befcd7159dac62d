package io.streamfold.processor.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.LuaSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lua script from the processor's resources ({@link LuaSource}), run with EVALSHA over Lettuce; loaded when Redis
 * answers NOSCRIPT (first use, script cache flushed, failover, restart).
 */
public final class LuaScript {

    private final LuaSource source;

    private LuaScript(LuaSource source) {
        this.source = source;
    }

    /** The script {@code resource}, next to {@code owner} in the class path. */
    public static LuaScript of(Class<?> owner, String resource) {
        return new LuaScript(LuaSource.of(owner, resource));
    }

    /** Runs the script and waits for its reply (the script returns a table). */
    public List<Object> run(RedisCommands<String, String> redis, String[] keys, String... args) {
        ScriptArguments arguments = new ScriptArguments();
        for (String arg : args) {
            arguments.add(arg);
        }
        return start(redis, keys, arguments).await();
    }

    /**
     * Sends the script without waiting for its reply (the connection's command timeout applies to
     * {@link Call#await()}). The arguments are copied: {@code args} may be cleared once this returns.
     */
    public Call start(RedisCommands<String, String> redis, String[] keys, ScriptArguments args) {
        return new Call(redis, args, args.command(source.sha1(), keys));
    }

    private static RedisFuture<List<Object>> send(RedisCommands<String, String> redis,
            CommandArgs<String, String> evalsha) {
        return redis.getStatefulConnection().async().dispatch(CommandType.EVALSHA,
                new NestedMultiOutput<>(StringCodec.UTF8), evalsha);
    }

    /** A script sent by {@link #start}, its reply not yet awaited. */
    public final class Call {

        private final RedisCommands<String, String> redis;
        private final ScriptArguments args;
        private final CommandArgs<String, String> evalsha;
        private final RedisFuture<List<Object>> reply;
        private final long sentNanos = System.nanoTime();
        /** Set once by whichever sees the reply first: the reply's callback, or {@link #await()} woken before it ran. */
        private final AtomicLong repliedNanos = new AtomicLong();

        private Call(RedisCommands<String, String> redis, ScriptArguments args, CommandArgs<String, String> evalsha) {
            this.redis = redis;
            this.args = args;
            this.evalsha = evalsha;
            this.reply = send(redis, evalsha);
            reply.whenComplete((result, failure) -> {
                repliedNanos.compareAndSet(0, System.nanoTime());
                if (failure == null) {
                    args.recycle(evalsha); // answered: written in full, and never sent again
                }
            });
        }

        /** {@link System#nanoTime()} when the script was sent. */
        public long sentNanos() {
            return sentNanos;
        }

        /** {@link System#nanoTime()} when its reply arrived (after {@link #await()} returned). */
        public long repliedNanos() {
            return repliedNanos.get();
        }

        /** The script's reply; when Redis had lost the script (NOSCRIPT), it is loaded and run again first. */
        public List<Object> await() {
            Duration timeout = redis.getStatefulConnection().getTimeout();
            try {
                List<Object> result = LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
                // A thread waiting for the reply may be woken before the callback above has run.
                repliedNanos.compareAndSet(0, System.nanoTime());
                return result;
            } catch (RedisNoScriptException flushedOrFailedOver) {
                redis.scriptLoad(source.text()); // the same SHA-1, the one these arguments begin with
                List<Object> result = LettuceFutures.awaitOrCancel(send(redis, evalsha),
                        timeout.toNanos(), TimeUnit.NANOSECONDS);
                repliedNanos.set(System.nanoTime());
                args.recycle(evalsha);
                return result;
            }
        }
    }

    @Override
    public String toString() {
        return source.name();
    }
}
