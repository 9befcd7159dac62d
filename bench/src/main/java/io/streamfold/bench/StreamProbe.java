package io.streamfold.bench;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.GroupInfo;

/** The consumer group's pending count, lag and entries read, as Redis 7's XINFO GROUPS reports them. */
final class StreamProbe {

    private final RedisCommands<String, String> redis;
    private final String stream;
    private final String group;

    StreamProbe(RedisCommands<String, String> redis, String stream, String group) {
        this.redis = redis;
        this.stream = stream;
        this.group = group;
    }

    boolean drained() {
        GroupInfo info = info();
        return info.pending() == 0 && info.lag().orElseThrow(() -> new IllegalStateException(
                "group " + group + " has an undefined lag (Redis 7 or later needed)")) == 0;
    }

    /** Entries delivered to the group so far (its entries-read counter). */
    long entriesRead() {
        return info().entriesRead().orElse(0L);
    }

    private GroupInfo info() {
        return GroupInfo.find(redis.xinfoGroups(stream), group)
                .orElseThrow(() -> new IllegalStateException("no group " + group + " on " + stream));
    }
}
