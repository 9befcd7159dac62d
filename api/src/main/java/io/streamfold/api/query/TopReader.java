package io.streamfold.api.query;

import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/** Ranks a dimension's values by count or sum, over all time or over the minute bins of a window. */
@ApplicationScoped
public class TopReader {

    /** What values are ranked by. */
    public enum Metric { COUNT, SUM }

    private final QueryModel model;
    private final AllTimeReader allTime;

    TopReader(QueryModel model, AllTimeReader allTime) {
        this.model = model;
        this.allTime = allTime;
    }

    /** The top {@code n}; {@code window} null for all time. Ties are broken by value, ascending. */
    public Top top(String dimension, Metric metric, int n, Duration window) {
        Map<String, long[]> totals = window == null ? overAllTime(dimension) : overWindow(dimension, window);
        Comparator<Map.Entry<String, long[]>> order = Comparator.comparingLong(
                (Map.Entry<String, long[]> e) -> e.getValue()[metric == Metric.COUNT ? 0 : 1]).reversed()
                .thenComparing(Map.Entry::getKey);
        List<Top.Entry> entries = totals.entrySet().stream().sorted(order).limit(n)
                .map(e -> new Top.Entry(e.getKey(), e.getValue()[0], model.fixedPoint().toDecimal(e.getValue()[1])))
                .toList();
        return new Top(dimension, metric.name().toLowerCase(), window == null ? "all" : QueryParameters.describe(window),
                entries);
    }

    private Map<String, long[]> overAllTime(String dimension) {
        Map<String, Map<String, String>> hashes =
                allTime.read(allTime.query().stats(dimension, KeyLayout.COUNT, KeyLayout.SUM));
        Map<String, String> sums = hashes.get(model.keys().sumsBy(dimension));
        Map<String, long[]> totals = new HashMap<>();
        hashes.get(model.keys().countsBy(dimension)).forEach((value, count) ->
                totals.put(value, new long[] {Long.parseLong(count), Long.parseLong(sums.getOrDefault(value, "0"))}));
        return totals;
    }

    private Map<String, long[]> overWindow(String dimension, Duration window) {
        long[] minutes = model.minutesOf(window);
        RBatch batch = model.batch();
        for (long minute = minutes[0]; minute <= minutes[1]; minute++) {
            batch.<String, String>getMap(model.keys().minuteBin(minute), StringCodec.INSTANCE).readAllMapAsync();
        }
        List<?> replies = batch.execute().getResponses();
        String countPrefix = KeyLayout.binField(KeyLayout.COUNT, dimension, "");
        String sumPrefix = KeyLayout.binField(KeyLayout.SUM, dimension, "");
        Map<String, long[]> totals = new HashMap<>();
        for (int m = 0; m < replies.size(); m++) {
            QueryModel.hash(replies, m).forEach((field, number) -> {
                if (field.startsWith(countPrefix)) {
                    totals.computeIfAbsent(field.substring(countPrefix.length()), v -> new long[2])[0] += Long.parseLong(number);
                } else if (field.startsWith(sumPrefix)) {
                    long[] total = totals.computeIfAbsent(field.substring(sumPrefix.length()), v -> new long[2]);
                    total[1] = Math.addExact(total[1], Long.parseLong(number));
                }
            });
        }
        return totals;
    }
}
