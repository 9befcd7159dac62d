package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.GroupInfo;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.ExpectedAggregates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the stream held over a run, read back through the test's {@link StreamAudit} group, and the
 * aggregates its valid entries must produce — computed here, independently of the processors. Also
 * checks the group is drained.
 */
record StreamContents(ExpectedAggregates expected, List<Map<String, String>> deadLetters) {

    static final String STREAM = "{events}";
    private static final int PAGE = 10_000;

    /**
     * Every entry the audit group has read, and reads now; entries whose {@code event_id} is in {@code malformedIds}
     * are not expected in the aggregates.
     */
    static StreamContents read(String redisUri, StreamAudit audit, Set<String> malformedIds) {
        ExpectedAggregates expected = new ExpectedAggregates(List.of("event_type", "product"));
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.xpending(STREAM, "aggregators").getCount()).as("entries left pending").isZero();
            audit.catchUp();
            for (Map<String, String> entry : audit.entries()) {
                if (!malformedIds.contains(entry.get("event_id"))) {
                    expected.add(entry);
                }
            }
            return new StreamContents(expected, deadLetters(redis));
        } finally {
            client.shutdown();
        }
    }

    /** The dead-letter stream's entries, oldest first. */
    static List<Map<String, String>> deadLetters(RedisCommands<String, String> redis) {
        List<Map<String, String>> deadLetters = new ArrayList<>();
        all(redis, STREAM + ":dlq").forEach(message -> deadLetters.add(message.getBody()));
        return deadLetters;
    }

    static boolean drained(RedisCommands<String, String> redis) {
        return redis.xpending(STREAM, "aggregators").getCount() == 0 && lag(redis) == 0;
    }

    /** The group's lag as Redis 7 reports it in XINFO GROUPS; {@link Long#MAX_VALUE} while unknown or the group is missing. */
    static long lag(RedisCommands<String, String> redis) {
        return GroupInfo.find(redis.xinfoGroups(STREAM), "aggregators").flatMap(GroupInfo::lag).orElse(Long.MAX_VALUE);
    }

    /** The all-time aggregates, as readers see them, hold exactly {@code expected}: totals and every dimension's counts and sums. */
    static void assertAggregatesEqual(RedisCommands<String, String> redis, ExpectedAggregates expected) {
        AllTimeReads allTime = new AllTimeReads(redis, KeyLayout.defaults());
        assertThat(allTime.totals()).isEqualTo(expected.totalsInUnits(2));
        for (String dimension : List.of("event_type", "product")) {
            Map<String, String> counts = new TreeMap<>();
            expected.countsBy(dimension).forEach((value, count) -> counts.put(value, String.valueOf(count)));
            assertThat(allTime.by(KeyLayout.COUNT, dimension)).as("counts by %s", dimension).isEqualTo(counts);
            assertThat(allTime.by(KeyLayout.SUM, dimension)).as("sums by %s", dimension)
                    .isEqualTo(expected.sumUnitsBy(dimension, 2));
        }
    }

    private static List<StreamMessage<String, String>> all(RedisCommands<String, String> redis, String stream) {
        List<StreamMessage<String, String>> all = new ArrayList<>();
        Range.Boundary<String> from = Range.Boundary.including("-");
        while (true) {
            List<StreamMessage<String, String>> page = redis.xrange(stream, Range.from(from, Range.Boundary.including("+")),
                    Limit.from(PAGE));
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            from = Range.Boundary.excluding(page.get(page.size() - 1).getId());
        }
    }
}
