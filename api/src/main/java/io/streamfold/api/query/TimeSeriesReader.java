package io.streamfold.api.query;

import io.streamfold.api.problem.ProblemException;
import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/** Reads minute bins and rolls them up to steps of 1m, 5m, 1h or 1d, in one round trip. */
@ApplicationScoped
public class TimeSeriesReader {

    /** Most points one series may have. */
    static final int MAX_POINTS = 2_000;

    private final QueryModel model;

    TimeSeriesReader(QueryModel model) {
        this.model = model;
    }

    /**
     * The series from the step holding {@code from} to the step holding {@code to}, steps aligned to
     * the epoch; {@code dimension} and {@code value} both null for the series of all events.
     */
    public TimeSeries series(String dimension, String value, Instant from, Instant to, Duration step) {
        long stepMillis = step.toMillis();
        long span = to.toEpochMilli() - from.toEpochMilli();
        if (span < 0) {
            throw ProblemException.badRequest("'from' (" + from + ") is after 'to' (" + to + ")");
        }
        if (span > model.retention().toMillis()) {
            throw ProblemException.badRequest("the range from " + from + " to " + to + " is longer than the retention of "
                    + QueryParameters.describe(model.retention()) + "; nothing older is kept");
        }
        if (span < stepMillis && stepMillis > 60_000L) {
            throw ProblemException.badRequest("step " + QueryParameters.describe(step) + " is longer than the range from "
                    + from + " to " + to + "; use a shorter step or a longer range");
        }
        long firstStep = Math.floorDiv(from.toEpochMilli(), stepMillis);
        long lastStep = Math.floorDiv(to.toEpochMilli(), stepMillis);
        long points = lastStep - firstStep + 1;
        if (points > MAX_POINTS) {
            throw ProblemException.badRequest("the range from " + from + " to " + to + " at step "
                    + QueryParameters.describe(step) + " makes " + points + " points; at most " + MAX_POINTS
                    + " are allowed: use a longer step or a shorter range");
        }
        long firstMinute = firstStep * stepMillis / 60_000L;
        long minutesPerStep = stepMillis / 60_000L;
        int minutes = (int) (points * minutesPerStep);

        Set<String> fields = fields(dimension, value);
        RBatch batch = model.batch();
        for (int m = 0; m < minutes; m++) {
            batch.<String, String>getMap(model.keys().minuteBin(firstMinute + m), StringCodec.INSTANCE).getAllAsync(fields);
        }
        List<?> replies = batch.execute().getResponses();

        String[] names = fields.toArray(String[]::new);
        List<TimeSeries.Point> series = new ArrayList<>((int) points);
        for (int p = 0; p < points; p++) {
            Stats.Builder stats = new Stats.Builder();
            for (int m = p * (int) minutesPerStep; m < (p + 1) * minutesPerStep; m++) {
                Map<String, String> bin = QueryModel.hash(replies, m);
                stats.add(bin.get(names[0]), bin.get(names[1]), bin.get(names[2]), bin.get(names[3]));
            }
            series.add(new TimeSeries.Point(Instant.ofEpochMilli((firstStep + p) * stepMillis).toString(), model.stats(stats)));
        }
        return new TimeSeries(dimension, value, from.toString(), to.toString(), QueryParameters.describe(step), series);
    }

    /** The four fields of a minute bin holding count, sum, min and max of the cell, in that order. */
    private static Set<String> fields(String dimension, String value) {
        Set<String> fields = new LinkedHashSet<>();
        for (String stat : List.of(KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX)) {
            fields.add(dimension == null ? stat : KeyLayout.binField(stat, dimension, value));
        }
        return fields;
    }
}
