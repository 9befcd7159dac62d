package io.streamfold.api.query;

import java.math.BigDecimal;
import java.util.List;

/** The {@code n} values of a dimension with the highest count or sum over a window ({@code all}: all time). */
public record Top(String dimension, String metric, String window, List<Entry> entries) {

    /** One value with its count and sum over the window. */
    public record Entry(String value, long count, BigDecimal sum) {
    }
}
