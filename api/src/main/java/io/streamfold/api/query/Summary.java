package io.streamfold.api.query;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The dashboard summary: totals over all events; per dimension, every value's count and sum, most
 * frequent first; and the events of the last complete minute. Sums are exact decimals.
 */
public record Summary(Totals totals, Map<String, List<Cell>> dimensions, LastMinute lastMinute) {

    /** Count and sum over all events. */
    public record Totals(long count, BigDecimal sum) {
    }

    /** Count and sum of one dimension value. */
    public record Cell(String value, long count, BigDecimal sum) {
    }

    /** Count and sum of the events of the last complete minute, starting at {@code start} (ISO-8601). */
    public record LastMinute(String start, long count, BigDecimal sum) {
    }
}
