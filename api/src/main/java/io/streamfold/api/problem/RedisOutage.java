package io.streamfold.api.problem;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import org.redisson.client.RedisBusyException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;

/**
 * Tells a failure of Redis itself (unreachable, too slow, loading its data after a restart, busy with a script, out of
 * memory, failing over) from any other error: the former is the service being unavailable for a while (503 with
 * Retry-After, which clients and load balancers know to retry), not a fault in the request or the API (500).
 */
final class RedisOutage {

    private RedisOutage() {
    }

    /**
     * What is wrong with Redis, in words fit for a client (no host, port or command), if that is what failed: the
     * failure or one of its causes (Redisson wraps a refused connection in a plain RedisException, for one).
     */
    static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String reason = reason(cause);
            if (reason != null) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    private static String reason(Throwable failure) {
        if (failure instanceof RedisConnectionException || failure instanceof RedisNodeNotFoundException
                || failure instanceof RedisReconnectedException || failure instanceof ConnectException
                || failure instanceof SocketException || failure instanceof ClosedChannelException) {
            return "it cannot be reached";
        } else if (failure instanceof RedisTimeoutException) {
            return "it did not answer in time";
        } else if (failure instanceof RedisLoadingException) {
            return "it is loading its data";
        } else if (failure instanceof RedisBusyException) {
            return "it is busy running a script";
        } else if (failure instanceof RedisOutOfMemoryException) {
            return "it is out of memory";
        } else if (failure instanceof RedisReadonlyException || failure instanceof RedisRetryException) {
            return "it is failing over or not ready";
        }
        return null;
    }
}
