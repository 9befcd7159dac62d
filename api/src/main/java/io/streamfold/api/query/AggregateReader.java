package io.streamfold.api.query;

import io.streamfold.contract.FixedPoint;
import io.streamfold.contract.KeyLayout;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/** Reads the all-time aggregates the processors maintain, in one round trip per request. */
@ApplicationScoped
public class AggregateReader {

    private static final Comparator<Summary.Cell> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(Summary.Cell::count).reversed().thenComparing(Summary.Cell::value);
    private static final Comparator<Aggregates.Cell> MOST_FREQUENT_CELL_FIRST =
            Comparator.comparingLong((Aggregates.Cell cell) -> cell.stats().count()).reversed()
                    .thenComparing(Aggregates.Cell::value);

    private final QueryModel model;

    AggregateReader(QueryModel model) {
        this.model = model;
    }

    /** Totals and every dimension value with count, sum, min, max and mean; cached for at most a second. */
    @CacheResult(cacheName = "aggregates")
    public Aggregates aggregates() {
        KeyLayout keys = model.keys();
        List<String> dimensions = model.dimensions();
        RBatch batch = model.batch();
        batch.<String, String>getMap(keys.totals(), StringCodec.INSTANCE).readAllMapAsync();
        for (String dimension : dimensions) {
            for (String key : List.of(keys.countsBy(dimension), keys.sumsBy(dimension), keys.minsBy(dimension),
                    keys.maxesBy(dimension))) {
                batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync();
            }
        }
        List<?> replies = batch.execute().getResponses();

        Map<String, String> totals = QueryModel.hash(replies, 0);
        Stats total = model.stats(new Stats.Builder().add(totals.get(KeyLayout.COUNT), totals.get(KeyLayout.SUM),
                totals.get(KeyLayout.MIN), totals.get(KeyLayout.MAX)));
        Map<String, List<Aggregates.Cell>> byDimension = new LinkedHashMap<>();
        for (int d = 0; d < dimensions.size(); d++) {
            Map<String, String> counts = QueryModel.hash(replies, 1 + 4 * d);
            Map<String, String> sums = QueryModel.hash(replies, 2 + 4 * d);
            Map<String, String> mins = QueryModel.hash(replies, 3 + 4 * d);
            Map<String, String> maxes = QueryModel.hash(replies, 4 + 4 * d);
            List<Aggregates.Cell> cells = new ArrayList<>(counts.size());
            counts.forEach((value, count) -> cells.add(new Aggregates.Cell(value,
                    model.stats(new Stats.Builder().add(count, sums.get(value), mins.get(value), maxes.get(value))))));
            cells.sort(MOST_FREQUENT_CELL_FIRST);
            byDimension.put(dimensions.get(d), cells);
        }
        return new Aggregates(total, byDimension);
    }

    /** The dashboard summary: totals, per dimension count and sum, and the last complete minute; cached for at most a second. */
    @CacheResult(cacheName = "summary")
    public Summary summary() {
        KeyLayout keys = model.keys();
        List<String> dimensions = model.dimensions();
        FixedPoint fixedPoint = model.fixedPoint();
        long lastMinute = Math.floorDiv(model.nowMillis(), 60_000L) - 1;
        RBatch batch = model.batch();
        batch.<String, String>getMap(keys.totals(), StringCodec.INSTANCE).readAllMapAsync();
        for (String dimension : dimensions) {
            batch.<String, String>getMap(keys.countsBy(dimension), StringCodec.INSTANCE).readAllMapAsync();
            batch.<String, String>getMap(keys.sumsBy(dimension), StringCodec.INSTANCE).readAllMapAsync();
        }
        batch.<String, String>getMap(keys.minuteBin(lastMinute), StringCodec.INSTANCE)
                .getAllAsync(Set.of(KeyLayout.COUNT, KeyLayout.SUM));
        List<?> replies = batch.execute().getResponses();

        Map<String, String> totals = QueryModel.hash(replies, 0);
        Map<String, List<Summary.Cell>> byDimension = new LinkedHashMap<>();
        for (int d = 0; d < dimensions.size(); d++) {
            Map<String, String> counts = QueryModel.hash(replies, 1 + 2 * d);
            Map<String, String> sums = QueryModel.hash(replies, 2 + 2 * d);
            List<Summary.Cell> cells = new ArrayList<>(counts.size());
            counts.forEach((value, count) -> cells.add(new Summary.Cell(value, Long.parseLong(count),
                    fixedPoint.toDecimal(Long.parseLong(sums.getOrDefault(value, "0"))))));
            cells.sort(MOST_FREQUENT_FIRST);
            byDimension.put(dimensions.get(d), cells);
        }
        Map<String, String> minute = QueryModel.hash(replies, 1 + 2 * dimensions.size());
        return new Summary(new Summary.Totals(Long.parseLong(totals.getOrDefault(KeyLayout.COUNT, "0")),
                fixedPoint.toDecimal(Long.parseLong(totals.getOrDefault(KeyLayout.SUM, "0")))), byDimension,
                new Summary.LastMinute(Instant.ofEpochMilli(lastMinute * 60_000L).toString(),
                        Long.parseLong(minute.getOrDefault(KeyLayout.COUNT, "0")),
                        fixedPoint.toDecimal(Long.parseLong(minute.getOrDefault(KeyLayout.SUM, "0")))));
    }
}
