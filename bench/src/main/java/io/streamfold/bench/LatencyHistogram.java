package io.streamfold.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The cumulative buckets of one Prometheus histogram, summed over several scrapes (processors). */
final class LatencyHistogram {

    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);

    private final TreeMap<Double, Double> cumulative;

    private LatencyHistogram(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    static LatencyHistogram scrape(List<String> prometheusTexts, String metric) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String text : prometheusTexts) {
            Matcher m = BUCKET.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(metric)) {
                    double le = m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
                    buckets.merge(le, Double.parseDouble(m.group(3)), Double::sum);
                }
            }
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("no buckets of " + metric + " in the scraped metrics");
        }
        return new LatencyHistogram(buckets);
    }

    /** What was recorded between {@code earlier} and this scrape. */
    LatencyHistogram since(LatencyHistogram earlier) {
        TreeMap<Double, Double> diff = new TreeMap<>();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            diff.put(bucket.getKey(), bucket.getValue() - earlier.cumulative.getOrDefault(bucket.getKey(), 0.0));
        }
        return new LatencyHistogram(diff);
    }

    double count() {
        return cumulative.lastEntry().getValue();
    }

    /** The fraction of the recorded values at most {@code bound}, a bucket's upper bound (else an error). */
    double fractionWithin(double bound) {
        Double within = cumulative.get(bound);
        if (within == null) {
            throw new IllegalArgumentException("no bucket ends at " + bound + ": " + cumulative.keySet());
        }
        return within / count();
    }

    /** The upper bound of the bucket holding quantile {@code q}: the recorded value is at most this. */
    double quantileUpperBound(double q) {
        double rank = q * count();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
