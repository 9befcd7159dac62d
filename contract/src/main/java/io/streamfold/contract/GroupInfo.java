package io.streamfold.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consumer group as {@code XINFO GROUPS} reports it (Redis 7 field names).
 *
 * @param name            group name
 * @param consumers       consumers known to the group
 * @param pending         entries delivered and not yet acknowledged
 * @param lastDeliveredId id of the last entry delivered to the group
 * @param entriesRead     logical count of entries read by the group, when Redis knows it
 * @param lag             entries not yet delivered to the group, when Redis can tell (Redis 7+)
 */
public record GroupInfo(String name, long consumers, long pending, String lastDeliveredId, Optional<Long> entriesRead,
        Optional<Long> lag) {

    /** Parses the raw reply of {@code XINFO GROUPS}: one flat name/value list per group. */
    public static List<GroupInfo> parseAll(List<?> reply) {
        List<GroupInfo> groups = new ArrayList<>(reply.size());
        for (Object group : reply) {
            List<?> flat = (List<?>) group;
            Map<String, Object> fields = new HashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
            }
            groups.add(new GroupInfo(String.valueOf(fields.get("name")), number(fields, "consumers").orElse(0L),
                    number(fields, "pending").orElse(0L), String.valueOf(fields.get("last-delivered-id")),
                    number(fields, "entries-read"), number(fields, "lag")));
        }
        return groups;
    }

    /** The named group in a raw {@code XINFO GROUPS} reply, if there. */
    public static Optional<GroupInfo> find(List<?> reply, String name) {
        return parseAll(reply).stream().filter(group -> group.name().equals(name)).findFirst();
    }

    private static Optional<Long> number(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof Number number ? Optional.of(number.longValue()) : Optional.empty();
    }
}
