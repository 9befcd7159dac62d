package io.streamfold.processor.cleanup;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.redis.LuaScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.redisson.api.RLock;

/**
 * Removes the consumer group's dead consumers, so {@code XINFO CONSUMERS} does not grow with every
 * processor that ever ran. A pass takes the cleanup lock without waiting (another processor holding
 * it means that one is cleaning: the pass does nothing), then runs one EVALSHA of
 * {@code remove-idle-consumers.lua}, which deletes every consumer idle for at least the threshold
 * with no pending entries, except this processor's own, checking and deleting atomically, and the
 * batch ledger's entries of consumers no longer in the group. The lock
 * is released after the pass; its lease frees it should this processor die holding it. Not
 * thread-safe: one per scheduler thread (the lock's holder is the calling thread).
 */
final class IdleConsumerCleaner {

    private final LuaScript script = LuaScript.of(IdleConsumerCleaner.class, "remove-idle-consumers.lua");

    private static final Logger LOG = Logger.getLogger(IdleConsumerCleaner.class);

    private final RedisCommands<String, String> redis;
    private final RLock lock;
    private final long leaseMillis;
    private final String[] scriptKeys;
    private final String[] args;

    /**
     * @param redis       commands for the script
     * @param keys        the stream and group to clean
     * @param ownConsumer this processor's consumer name, never removed
     * @param minIdle     consumers idle at least this long with no pending entries are removed
     * @param lock        the cleanup lock every processor shares ({@link KeyLayout#cleanupLock()})
     * @param lease       how long the lock is held at most, should this processor die during a pass
     */
    IdleConsumerCleaner(RedisCommands<String, String> redis, KeyLayout keys, String ownConsumer, Duration minIdle,
            RLock lock, Duration lease) {
        if (minIdle.isNegative() || minIdle.isZero()) {
            throw new IllegalArgumentException("minimum idle time must be positive, was " + minIdle);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lock lease must be positive, was " + lease);
        }
        this.redis = redis;
        this.lock = lock;
        this.leaseMillis = lease.toMillis();
        this.scriptKeys = new String[] {keys.stream(), keys.ledger()};
        this.args = new String[] {keys.group(), ownConsumer, String.valueOf(minIdle.toMillis())};
    }

    /**
     * One pass: the consumers removed, or {@link Pass#SKIPPED} when another holder has the lock.
     *
     * @throws InterruptedException when interrupted while taking the lock
     */
    Pass pass() throws InterruptedException {
        if (!lock.tryLock(0, leaseMillis, TimeUnit.MILLISECONDS)) {
            return Pass.SKIPPED;
        }
        try {
            return new Pass(true, removeIdle());
        } finally {
            release();
        }
    }

    private List<String> removeIdle() {
        List<Object> reply = script.run(redis, scriptKeys, args);
        List<String> removed = new ArrayList<>(reply.size());
        for (Object name : reply) {
            removed.add((String) name);
        }
        return List.copyOf(removed);
    }

    /** Releases the lock; a failure only leaves it to its lease, so it does not hide the pass's result. */
    private void release() {
        try {
            lock.unlock();
        } catch (RuntimeException e) {
            LOG.warnf("Releasing lock %s failed (%s); it expires after %d ms", lock.getName(), e.toString(), leaseMillis);
        }
    }

    /**
     * What one pass did.
     *
     * @param ran     whether this processor held the lock and looked for dead consumers
     * @param removed the consumers it removed, in the group's order
     */
    record Pass(boolean ran, List<String> removed) {

        /** Another holder had the lock: nothing was looked at or removed. */
        static final Pass SKIPPED = new Pass(false, List.of());
    }
}
