package io.streamfold.testsupport;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregates a set of events must produce, computed independently of the production code:
 * straight from the field strings with {@link BigDecimal}, no parser, no fixed point.
 */
public final class ExpectedAggregates {

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal min;
    private BigDecimal max;
    private final Map<String, Map<String, Long>> counts = new TreeMap<>();
    private final Map<String, Map<String, BigDecimal>> sums = new TreeMap<>();
    private final List<String> dimensions;

    public ExpectedAggregates(List<String> dimensions) {
        this.dimensions = List.copyOf(dimensions);
        for (String dimension : dimensions) {
            counts.put(dimension, new TreeMap<>());
            sums.put(dimension, new TreeMap<>());
        }
    }

    /** Adds one valid event given as its stream fields, with {@code value} the decimal field. */
    public void add(Map<String, String> fields) {
        BigDecimal value = new BigDecimal(fields.get("value"));
        count++;
        sum = sum.add(value);
        min = min == null ? value : min.min(value);
        max = max == null ? value : max.max(value);
        for (String dimension : dimensions) {
            String key = fields.get(dimension);
            counts.get(dimension).merge(key, 1L, Long::sum);
            sums.get(dimension).merge(key, value, BigDecimal::add);
        }
    }

    public long count() {
        return count;
    }

    public BigDecimal sum() {
        return sum;
    }

    /** Dimension value → count, sorted by value. */
    public Map<String, Long> countsBy(String dimension) {
        return counts.get(dimension);
    }

    /** Dimension value → sum, sorted by value. */
    public Map<String, BigDecimal> sumsBy(String dimension) {
        return sums.get(dimension);
    }

    /** The totals hash as Redis stores it: {@code count}, and {@code sum}, {@code min}, {@code max} in units of {@code 10^-scale}. */
    public Map<String, String> totalsInUnits(int scale) {
        Map<String, String> totals = new TreeMap<>();
        totals.put("count", String.valueOf(count));
        totals.put("sum", units(sum, scale));
        if (count > 0) {
            totals.put("min", units(min, scale));
            totals.put("max", units(max, scale));
        }
        return totals;
    }

    private static String units(BigDecimal value, int scale) {
        return value.movePointRight(scale).toBigIntegerExact().toString();
    }

    /** Dimension value → sum in units of {@code 10^-scale}, as Redis stores it. */
    public Map<String, String> sumUnitsBy(String dimension, int scale) {
        Map<String, String> units = new TreeMap<>();
        sums.get(dimension).forEach((key, value) -> units.put(key, units(value, scale)));
        return units;
    }
}
