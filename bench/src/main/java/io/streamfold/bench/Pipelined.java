package io.streamfold.bench;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** One Redis command per key, all sent in one flush of a Lettuce connection. */
final class Pipelined {

    private Pipelined() {
    }

    /** Sends {@code command} for each key in one flush; the replies in key order (null where {@code command} sent none). */
    static <T> List<T> perKey(StatefulRedisConnection<String, String> connection, List<String> keys,
            BiFunction<RedisAsyncCommands<String, String>, String, RedisFuture<T>> command) {
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<T>> futures = new ArrayList<>(keys.size());
        connection.setAutoFlushCommands(false);
        try {
            for (String key : keys) {
                futures.add(command.apply(async, key));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        List<T> replies = new ArrayList<>(keys.size());
        for (RedisFuture<T> future : futures) {
            replies.add(future == null ? null : LettuceFutures.awaitOrCancel(future, 30, TimeUnit.SECONDS));
        }
        return replies;
    }
}
