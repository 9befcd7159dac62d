package io.streamfold.api.stream;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.api.query.QueryParameters;
import io.streamfold.api.redis.RedisScript;
import io.streamfold.contract.GroupInfo;
import io.streamfold.contract.KeyLayout;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/** The stream's health: length, ends, dead letters, groups and consumers, read in one atomic step. */
@Path("/stream")
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {

    private final RedisScript script = RedisScript.of(StreamResource.class, "status.lua", RScript.Mode.READ_ONLY);
    private final RedissonClient redisson;
    private final KeyLayout keys;

    StreamResource(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
    }

    @GET
    public StreamStatus status(@Context UriInfo uri) {
        QueryParameters.requireOnly(uri, Set.of());
        List<Object> reply = script.run(redisson, List.of(keys.stream(), keys.deadLetters()));
        List<?> groupReplies = (List<?>) reply.get(4);
        List<?> consumerReplies = (List<?>) reply.get(5);
        List<GroupInfo> groups = GroupInfo.parseAll(groupReplies);
        List<StreamStatus.Group> described = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            GroupInfo group = groups.get(g);
            List<StreamStatus.Consumer> consumers = new ArrayList<>();
            if (g < consumerReplies.size()) {
                for (Object consumer : (List<?>) consumerReplies.get(g)) {
                    Map<String, Object> fields = fields((List<?>) consumer);
                    consumers.add(new StreamStatus.Consumer(String.valueOf(fields.get("name")),
                            ((Number) fields.get("pending")).longValue(), ((Number) fields.get("idle")).longValue()));
                }
            }
            described.add(new StreamStatus.Group(group.name(), group.pending(), group.lag().orElse(null),
                    group.entriesRead().orElse(null), group.lastDeliveredId(), consumers));
        }
        StreamStatus.Settling settling = new StreamStatus.Settling(minute(reply.get(6)), ((Number) reply.get(7)).longValue(),
                minute(reply.get(8)), (String) reply.get(9));
        return new StreamStatus(keys.stream(), ((Number) reply.get(0)).longValue(), (String) reply.get(1),
                (String) reply.get(2), ((Number) reply.get(3)).longValue(), described, settling);
    }

    /** The start of an epoch minute the script read, or null where it read none. */
    private static Instant minute(Object epochMinute) {
        return epochMinute == null ? null : Instant.ofEpochSecond(60 * Long.parseLong(String.valueOf(epochMinute)));
    }

    private static Map<String, Object> fields(List<?> flat) {
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
        }
        return fields;
    }
}
