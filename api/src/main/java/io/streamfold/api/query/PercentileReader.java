package io.streamfold.api.query;

import io.streamfold.contract.AllTimeQuery;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.ValueHistogram;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/** Merges value histograms (all time, or the minute bins of a window) and reads quantiles off them. */
@ApplicationScoped
public class PercentileReader {

    private final QueryModel model;
    private final AllTimeReader allTime;

    PercentileReader(QueryModel model, AllTimeReader allTime) {
        this.model = model;
        this.allTime = allTime;
    }

    /** {@code dimension} and {@code value} both null for all events; {@code window} null for all time. */
    public Percentiles percentiles(String dimension, String value, List<Double> quantiles, Duration window) {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        long count = 0;
        List<Map<String, String>> histograms =
                window == null ? overAllTime(dimension, value) : overWindow(dimension, value, window);
        for (Map<String, String> histogram : histograms) {
            for (var bucket : histogram.entrySet()) {
                long n = Long.parseLong(bucket.getValue());
                buckets.merge(Integer.parseInt(bucket.getKey()), n, Long::sum);
                count += n;
            }
        }
        List<Percentiles.Quantile> values = new ArrayList<>(quantiles.size());
        for (double q : quantiles) {
            values.add(new Percentiles.Quantile(q, count == 0 ? null
                    : model.fixedPoint().toDecimal(ValueHistogram.quantile(buckets, q))));
        }
        return new Percentiles(dimension, value, window == null ? "all" : QueryParameters.describe(window), count,
                ValueHistogram.MAX_RELATIVE_ERROR_PERCENT, values);
    }

    /** The all-time histogram, with the minutes not yet settled into it. */
    private List<Map<String, String>> overAllTime(String dimension, String value) {
        KeyLayout keys = model.keys();
        AllTimeQuery query = dimension == null ? allTime.query().histogram()
                : allTime.query().histogram(dimension, value);
        String key = dimension == null ? keys.histogram() : keys.histogram(dimension, value);
        return List.of(allTime.read(query).get(key));
    }

    /** The histograms of the window's minute bins, in one round trip. */
    private List<Map<String, String>> overWindow(String dimension, String value, Duration window) {
        long[] minutes = model.minutesOf(window);
        RBatch batch = model.batch();
        for (long minute = minutes[0]; minute <= minutes[1]; minute++) {
            String key = dimension == null ? model.keys().minuteHistogram(minute)
                    : model.keys().minuteHistogram(minute, dimension, value);
            batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync();
        }
        List<?> replies = batch.execute().getResponses();
        List<Map<String, String>> histograms = new ArrayList<>(replies.size());
        for (int r = 0; r < replies.size(); r++) {
            histograms.add(QueryModel.hash(replies, r));
        }
        return histograms;
    }
}
