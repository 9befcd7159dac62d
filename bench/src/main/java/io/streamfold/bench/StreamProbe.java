package io.streamfold.bench;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The consumer group's pending count and lag, as XPENDING and Redis 7's XINFO GROUPS report them. */
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
        return redis.xpending(stream, group).getCount() == 0 && lag() == 0;
    }

    long lag() {
        for (Object entry : redis.xinfoGroups(stream)) {
            List<?> fields = (List<?>) entry;
            Map<String, Object> info = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                info.put(String.valueOf(fields.get(i)), fields.get(i + 1));
            }
            if (group.equals(info.get("name"))) {
                Object lag = info.get("lag");
                if (lag == null) {
                    throw new IllegalStateException("group " + group + " has an undefined lag (Redis 7 or later needed)");
                }
                return (Long) lag;
            }
        }
        throw new IllegalStateException("no group " + group + " on " + stream);
    }
}
