package io.streamfold.api.query;

import java.util.List;
import java.util.Map;

/** Everything over all time: the totals and, per dimension, every value's statistics, most frequent first. */
public record Aggregates(Stats totals, Map<String, List<Cell>> dimensions) {

    /** One dimension value's statistics. */
    public record Cell(String value, Stats stats) {
    }
}
