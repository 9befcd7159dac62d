package io.streamfold.testsupport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.AllTimeQuery;
import io.streamfold.contract.KeyLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All-time aggregates read the way the API reads them ({@link AllTimeQuery}: the all-time hashes plus the minutes not
 * yet settled into them), for the checks of tests and benchmarks. Each map is sorted by field.
 */
public final class AllTimeReads {

    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;

    public AllTimeReads(RedisCommands<String, String> redis, KeyLayout keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Every hash {@code query} asks for, by key name. */
    public Map<String, Map<String, String>> read(AllTimeQuery query) {
        List<Object> reply = redis.eval(AllTimeQuery.script().text(), ScriptOutputType.MULTI,
                query.keys().toArray(String[]::new), query.arguments().toArray(String[]::new));
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        query.merge(reply).forEach((key, hash) -> hashes.put(key, new TreeMap<>(hash)));
        return hashes;
    }

    /** {@code count}, {@code sum}, {@code min}, {@code max} over all events. */
    public Map<String, String> totals() {
        return read(AllTimeQuery.on(keys).totals()).get(keys.totals());
    }

    /** Dimension value → {@code stat} ({@link KeyLayout#COUNT}, {@link KeyLayout#SUM}, {@link KeyLayout#MIN}, {@link KeyLayout#MAX}). */
    public Map<String, String> by(String stat, String dimension) {
        return read(AllTimeQuery.on(keys).stats(dimension, stat)).values().iterator().next();
    }

    /** Bucket → count of one dimension value's values. */
    public Map<String, String> histogram(String dimension, String value) {
        return read(AllTimeQuery.on(keys).histogram(dimension, value)).get(keys.histogram(dimension, value));
    }
}
