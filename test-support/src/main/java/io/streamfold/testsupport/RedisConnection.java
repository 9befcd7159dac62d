package io.streamfold.testsupport;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's connection to its own Redis, opened and made ready before each test and closed after it: the set-up the
 * Redis tests used to repeat. Register it as a field, {@code @RegisterExtension final RedisConnection connection =
 * RedisConnection.withEmptyStream(() -> server, keys);}, then use {@link #sync()}.
 */
public final class RedisConnection implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<RedisServer> server;
    private final Consumer<RedisCommands<String, String>> prepare;
    private LettuceSession session;

    private RedisConnection(Supplier<RedisServer> server, Consumer<RedisCommands<String, String>> prepare) {
        this.server = server;
        this.prepare = prepare;
    }

    /** An empty Redis holding only {@code keys}' stream with its consumer group (at the stream's start). */
    public static RedisConnection withEmptyStream(Supplier<RedisServer> server, KeyLayout keys) {
        return new RedisConnection(server, redis -> {
            redis.flushall();
            redis.xgroupCreate(StreamOffset.from(keys.stream(), "0"), keys.group(), XGroupCreateArgs.Builder.mkstream());
        });
    }

    /** A Redis that a running processor uses: ready once it has created {@code stream} (and its group). */
    public static RedisConnection toProcessorsStream(Supplier<RedisServer> server, String stream) {
        return new RedisConnection(server, redis -> await().until(() -> redis.exists(stream) == 1));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        session = new LettuceSession(server.get().uri());
        prepare.accept(session.sync());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        session.close();
    }

    public RedisCommands<String, String> sync() {
        return session.sync();
    }

    /** Commands whose values are raw bytes (see {@link LettuceSession#binary()}). */
    public RedisCommands<String, byte[]> binary() {
        return session.binary();
    }

    /** The session itself, for a test that needs another user's connection beside it. */
    public LettuceSession session() {
        return session;
    }
}
