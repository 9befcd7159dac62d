package io.streamfold.bench;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.ExpectedAggregates;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the all-time aggregates in Redis, as readers see them, with the independent expectation; a benchmark whose
 * result is wrong fails.
 */
final class AggregateCheck {

    private AggregateCheck() {
    }

    static void requireExact(RedisCommands<String, String> redis, KeyLayout keys, List<String> dimensions, int scale,
            ExpectedAggregates expected) {
        AllTimeReads allTime = new AllTimeReads(redis, keys);
        require("totals", expected.totalsInUnits(scale), allTime.totals());
        for (String dimension : dimensions) {
            Map<String, String> counts = new TreeMap<>();
            expected.countsBy(dimension).forEach((value, count) -> counts.put(value, String.valueOf(count)));
            require("counts by " + dimension, counts, allTime.by(KeyLayout.COUNT, dimension));
            require("sums by " + dimension, expected.sumUnitsBy(dimension, scale), allTime.by(KeyLayout.SUM, dimension));
        }
    }

    private static void require(String what, Map<String, String> expected, Map<String, String> actual) {
        if (!new TreeMap<>(expected).equals(new TreeMap<>(actual))) {
            throw new IllegalStateException(what + " differ from the expectation:\n expected " + new TreeMap<>(expected)
                    + "\n actual   " + new TreeMap<>(actual));
        }
    }
}
