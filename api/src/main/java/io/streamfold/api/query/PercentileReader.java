package io.streamfold.api.query;

import io.streamfold.contract.ValueHistogram;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/** Merges value histograms (all time, or the minute bins of a window) and reads quantiles off them. */
@ApplicationScoped
public class PercentileReader {

    private final QueryModel model;

    PercentileReader(QueryModel model) {
        this.model = model;
    }

    /** {@code dimension} and {@code value} both null for all events; {@code window} null for all time. */
    public Percentiles percentiles(String dimension, String value, List<Double> quantiles, Duration window) {
        RBatch batch = model.batch();
        if (window == null) {
            String key = dimension == null ? model.keys().histogram() : model.keys().histogram(dimension, value);
            batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync();
        } else {
            long[] minutes = model.minutesOf(window);
            for (long minute = minutes[0]; minute <= minutes[1]; minute++) {
                String key = dimension == null ? model.keys().minuteHistogram(minute)
                        : model.keys().minuteHistogram(minute, dimension, value);
                batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync();
            }
        }
        List<?> replies = batch.execute().getResponses();
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        long count = 0;
        for (int r = 0; r < replies.size(); r++) {
            for (var bucket : QueryModel.hash(replies, r).entrySet()) {
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
}
