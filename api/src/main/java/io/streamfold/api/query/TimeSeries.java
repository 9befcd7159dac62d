package io.streamfold.api.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A series of one dimension value (or of all events, without dimension and value) over time:
 * one point per step, each with the statistics of the minute bins it covers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeSeries(String dimension, String value, String from, String to, String step, List<Point> points) {

    /** The statistics of the step starting at {@code start} (ISO-8601). */
    public record Point(String start, Stats stats) {
    }
}
