package io.streamfold.api.query;

import io.streamfold.api.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Aggregates over HTTP: all time, the dashboard summary, time series, top-N, percentiles, unique users. */
@Path("/aggregates")
@Produces(MediaType.APPLICATION_JSON)
public class AggregatesResource {

    private final AggregateReader aggregates;
    private final TimeSeriesReader series;
    private final TopReader top;
    private final PercentileReader percentiles;
    private final UniquesReader uniques;
    private final QueryModel model;

    AggregatesResource(AggregateReader aggregates, TimeSeriesReader series, TopReader top, PercentileReader percentiles,
            UniquesReader uniques, QueryModel model) {
        this.aggregates = aggregates;
        this.series = series;
        this.top = top;
        this.percentiles = percentiles;
        this.uniques = uniques;
        this.model = model;
    }

    /** Totals and every dimension value's count, sum, min, max and mean, over all time. */
    @GET
    public Aggregates all(@Context UriInfo uri) {
        QueryParameters.requireOnly(uri, Set.of());
        return aggregates.aggregates();
    }

    /** Totals, every dimension value's count and sum, and the last complete minute. */
    @GET
    @Path("/summary")
    public Summary summary(@Context UriInfo uri) {
        QueryParameters.requireOnly(uri, Set.of());
        return aggregates.summary();
    }

    /** A series over minute bins; without dimension and value, of all events. Default: the last hour at 1m. */
    @GET
    @Path("/timeseries")
    public TimeSeries timeseries(@Context UriInfo uri, @QueryParam("dimension") String dimension,
            @QueryParam("value") String value, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("step") String step) {
        QueryParameters.requireOnly(uri, Set.of("dimension", "value", "from", "to", "step"));
        String[] cell = cell(dimension, value);
        Instant end = QueryParameters.instant("to", to);
        end = end == null ? Instant.ofEpochMilli(model.nowMillis()) : end;
        Instant start = QueryParameters.instant("from", from);
        start = start == null ? end.minus(Duration.ofHours(1)) : start;
        return series.series(cell[0], cell[1], start, end, QueryParameters.step(step));
    }

    /** The n values of a dimension with the highest count or sum over a window (default: all time). */
    @GET
    @Path("/top")
    public Top top(@Context UriInfo uri, @QueryParam("dimension") String dimension, @QueryParam("metric") String metric,
            @QueryParam("n") String n, @QueryParam("window") String window) {
        QueryParameters.requireOnly(uri, Set.of("dimension", "metric", "n", "window"));
        String checked = QueryParameters.dimension(dimension, model.dimensions());
        TopReader.Metric by = switch (metric == null ? "count" : metric) {
            case "count" -> TopReader.Metric.COUNT;
            case "sum" -> TopReader.Metric.SUM;
            default -> throw ProblemException.badRequest("query parameter 'metric' must be count or sum; was "
                    + ProblemException.quote(metric));
        };
        return top.top(checked, by, QueryParameters.count("n", n, 10, 1_000),
                QueryParameters.window(window, model.retention(), true, null));
    }

    /** Percentiles of a dimension value (or of all events) over a window (default: all time). */
    @GET
    @Path("/percentiles")
    public Percentiles percentiles(@Context UriInfo uri, @QueryParam("dimension") String dimension,
            @QueryParam("value") String value, @QueryParam("q") String q, @QueryParam("window") String window) {
        QueryParameters.requireOnly(uri, Set.of("dimension", "value", "q", "window"));
        String[] cell = cell(dimension, value);
        return percentiles.percentiles(cell[0], cell[1], QueryParameters.quantiles(q),
                QueryParameters.window(window, model.retention(), true, null));
    }

    /** Distinct users of the current hour ({@code 1h}, the default) or day ({@code 1d}). */
    @GET
    @Path("/uniques")
    public Uniques uniques(@Context UriInfo uri, @QueryParam("window") String window) {
        QueryParameters.requireOnly(uri, Set.of("window"));
        UniquesReader.Period period = switch (window == null ? "1h" : window) {
            case "1h" -> UniquesReader.Period.HOUR;
            case "1d" -> UniquesReader.Period.DAY;
            default -> throw ProblemException.badRequest("query parameter 'window' must be 1h or 1d; was "
                    + ProblemException.quote(window));
        };
        return uniques.uniques(period);
    }

    /** Dimension and value together (a cell), or neither (all events). */
    private String[] cell(String dimension, String value) {
        if (dimension == null && value == null) {
            return new String[2];
        }
        String checked = QueryParameters.dimension(dimension, model.dimensions());
        return new String[] {checked, QueryParameters.required("value", value)};
    }
}
