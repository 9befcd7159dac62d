package io.streamfold.api.query;

import io.streamfold.contract.AllTimeQuery;
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
import org.redisson.client.codec.StringCodec;

/**
 * Reads the all-time aggregates the processors maintain, through {@link AllTimeReader}: the all-time hashes plus the
 * minutes not yet settled into them.
 */
@ApplicationScoped
public class AggregateReader {

    private static final Comparator<Summary.Cell> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(Summary.Cell::count).reversed().thenComparing(Summary.Cell::value);
    private static final Comparator<Aggregates.Cell> MOST_FREQUENT_CELL_FIRST =
            Comparator.comparingLong((Aggregates.Cell cell) -> cell.stats().count()).reversed()
                    .thenComparing(Aggregates.Cell::value);

    private final QueryModel model;
    private final AllTimeReader allTime;

    AggregateReader(QueryModel model, AllTimeReader allTime) {
        this.model = model;
        this.allTime = allTime;
    }

    /**
     * Totals and every dimension value with count, sum, min, max and mean, in one round trip; cached for at most a
     * second.
     */
    @CacheResult(cacheName = "aggregates")
    public Aggregates aggregates() {
        KeyLayout keys = model.keys();
        List<String> dimensions = model.dimensions();
        AllTimeQuery query = allTime.query().totals();
        for (String dimension : dimensions) {
            query.stats(dimension, KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX);
        }
        Map<String, Map<String, String>> hashes = allTime.read(query);

        Map<String, String> totals = hashes.get(keys.totals());
        Stats total = model.stats(new Stats.Builder().add(totals.get(KeyLayout.COUNT), totals.get(KeyLayout.SUM),
                totals.get(KeyLayout.MIN), totals.get(KeyLayout.MAX)));
        Map<String, List<Aggregates.Cell>> byDimension = new LinkedHashMap<>();
        for (String dimension : dimensions) {
            Map<String, String> counts = hashes.get(keys.countsBy(dimension));
            Map<String, String> sums = hashes.get(keys.sumsBy(dimension));
            Map<String, String> mins = hashes.get(keys.minsBy(dimension));
            Map<String, String> maxes = hashes.get(keys.maxesBy(dimension));
            List<Aggregates.Cell> cells = new ArrayList<>(counts.size());
            counts.forEach((value, count) -> cells.add(new Aggregates.Cell(value,
                    model.stats(new Stats.Builder().add(count, sums.get(value), mins.get(value), maxes.get(value))))));
            cells.sort(MOST_FREQUENT_CELL_FIRST);
            byDimension.put(dimension, cells);
        }
        return new Aggregates(total, byDimension);
    }

    /**
     * The dashboard summary: totals, per dimension count and sum, and the last complete minute; cached for at most a
     * second. Two round trips: the all-time script, then the last minute's bin (a plain read of one minute, which the
     * all-time script cannot return).
     */
    @CacheResult(cacheName = "summary")
    public Summary summary() {
        KeyLayout keys = model.keys();
        List<String> dimensions = model.dimensions();
        FixedPoint fixedPoint = model.fixedPoint();
        long lastMinute = Math.floorDiv(model.nowMillis(), 60_000L) - 1;
        AllTimeQuery query = allTime.query().totals();
        for (String dimension : dimensions) {
            query.stats(dimension, KeyLayout.COUNT, KeyLayout.SUM);
        }
        Map<String, Map<String, String>> hashes = allTime.read(query);
        Map<String, String> minute = model.redisson()
                .<String, String>getMap(keys.minuteBin(lastMinute), StringCodec.INSTANCE)
                .getAll(Set.of(KeyLayout.COUNT, KeyLayout.SUM));

        Map<String, String> totals = hashes.get(keys.totals());
        Map<String, List<Summary.Cell>> byDimension = new LinkedHashMap<>();
        for (String dimension : dimensions) {
            Map<String, String> counts = hashes.get(keys.countsBy(dimension));
            Map<String, String> sums = hashes.get(keys.sumsBy(dimension));
            List<Summary.Cell> cells = new ArrayList<>(counts.size());
            counts.forEach((value, count) -> cells.add(new Summary.Cell(value, Long.parseLong(count),
                    fixedPoint.toDecimal(Long.parseLong(sums.getOrDefault(value, "0"))))));
            cells.sort(MOST_FREQUENT_FIRST);
            byDimension.put(dimension, cells);
        }
        return new Summary(new Summary.Totals(Long.parseLong(totals.getOrDefault(KeyLayout.COUNT, "0")),
                fixedPoint.toDecimal(Long.parseLong(totals.getOrDefault(KeyLayout.SUM, "0")))), byDimension,
                new Summary.LastMinute(Instant.ofEpochMilli(lastMinute * 60_000L).toString(),
                        Long.parseLong(minute.getOrDefault(KeyLayout.COUNT, "0")),
                        fixedPoint.toDecimal(Long.parseLong(minute.getOrDefault(KeyLayout.SUM, "0")))));
    }
}
