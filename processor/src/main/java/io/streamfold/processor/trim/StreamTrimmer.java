package io.streamfold.processor.trim;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.redis.LuaScript;
import java.time.Duration;
import java.util.List;

/**
 * Removes from the stream the entries every consumer group is done with ({@code trim-stream.lua}):
 * those before each group's oldest pending entry and up to its last delivered one, and at least
 * {@code minAge} old. The stream is the one thing every event adds to that no aggregate bounds;
 * untrimmed, it holds every event ever appended (about 100 bytes each). Each call of the script
 * trims at most {@code limit} entries, so that no call holds Redis for long; a pass calls it again
 * while a call trimmed anything, up to {@code maxCalls} times. (Redis trims whole nodes of the stream,
 * so a call short of the limit does not mean nothing is left: a node of 40 entries fits 9,960 of a
 * 10,000 limit, not the next 40.) Not thread-safe: one per scheduler thread.
 */
final class StreamTrimmer {

    private final LuaScript script = LuaScript.of(StreamTrimmer.class, "trim-stream.lua");

    private final RedisCommands<String, String> redis;
    private final String[] scriptKeys;
    private final String[] args;
    private final int maxCalls;

    /**
     * @param keys     the stream to trim
     * @param minAge   entries younger than this (by the time in their id, against Redis's clock) are kept
     * @param limit    most entries one script call trims
     * @param maxCalls most script calls one pass makes
     */
    StreamTrimmer(RedisCommands<String, String> redis, KeyLayout keys, Duration minAge, long limit, int maxCalls) {
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("minimum age must not be negative, was " + minAge);
        }
        if (limit < 1 || maxCalls < 1) {
            throw new IllegalArgumentException("limit and calls per pass must be positive, were " + limit + " and " + maxCalls);
        }
        this.redis = redis;
        this.scriptKeys = new String[] {keys.stream()};
        this.args = new String[] {String.valueOf(minAge.toMillis()), String.valueOf(limit)};
        this.maxCalls = maxCalls;
    }

    /** One pass: trims until a call trims nothing, or {@code maxCalls} calls were made. */
    Pass pass() {
        long trimmed = 0;
        String keptFrom = null;
        for (int call = 0; call < maxCalls; call++) {
            List<Object> reply = script.run(redis, scriptKeys, args);
            long count = (Long) reply.get(0);
            trimmed += count;
            if (reply.size() > 1) {
                keptFrom = (String) reply.get(1);
            }
            if (count == 0) {
                break;
            }
        }
        return new Pass(trimmed, keptFrom);
    }

    /**
     * What one pass did.
     *
     * @param trimmed  entries removed from the stream
     * @param keptFrom the id from which every entry was kept; null when nothing could be trimmed (no group, or
     *                 no group has read anything yet)
     */
    record Pass(long trimmed, String keptFrom) {
    }
}
