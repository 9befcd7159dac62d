package io.streamfold.api.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * Percentiles of the values of one dimension value (or of all events) over a window, read from
 * the value histograms: each within {@code maxRelativeErrorPercent} of the exact value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Percentiles(String dimension, String value, String window, long count, double maxRelativeErrorPercent,
        List<Quantile> quantiles) {

    /** The value at quantile {@code q}; absent when there were no events. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quantile(double q, BigDecimal value) {
    }
}
