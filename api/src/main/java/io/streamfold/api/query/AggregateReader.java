package io.streamfold.api.query;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.contract.FixedPoint;
import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Reads the aggregate hashes the processors maintain, in one round trip. */
@ApplicationScoped
public class AggregateReader {

    private static final Comparator<Summary.Cell> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(Summary.Cell::count).reversed().thenComparing(Summary.Cell::value);

    private final RedissonClient redisson;
    private final KeyLayout keys;
    private final List<String> dimensions;
    private final FixedPoint fixedPoint;

    AggregateReader(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
        this.dimensions = config.schema().dimensions();
        this.fixedPoint = config.schema().toSchema().fixedPoint();
    }

    public Summary summary() {
        RBatch batch = redisson.createBatch();
        batch.<String, String>getMap(keys.totals(), StringCodec.INSTANCE).readAllMapAsync();
        for (String dimension : dimensions) {
            batch.<String, String>getMap(keys.countsBy(dimension), StringCodec.INSTANCE).readAllMapAsync();
            batch.<String, String>getMap(keys.sumsBy(dimension), StringCodec.INSTANCE).readAllMapAsync();
        }
        List<?> replies = batch.execute().getResponses();

        Map<String, String> totals = hash(replies, 0);
        Map<String, List<Summary.Cell>> byDimension = new LinkedHashMap<>();
        for (int d = 0; d < dimensions.size(); d++) {
            Map<String, String> counts = hash(replies, 1 + 2 * d);
            Map<String, String> sums = hash(replies, 2 + 2 * d);
            List<Summary.Cell> cells = new ArrayList<>(counts.size());
            counts.forEach((value, count) -> cells.add(new Summary.Cell(value, Long.parseLong(count),
                    fixedPoint.toDecimal(Long.parseLong(sums.getOrDefault(value, "0"))))));
            cells.sort(MOST_FREQUENT_FIRST);
            byDimension.put(dimensions.get(d), cells);
        }
        return new Summary(new Summary.Totals(Long.parseLong(totals.getOrDefault(KeyLayout.COUNT, "0")),
                fixedPoint.toDecimal(Long.parseLong(totals.getOrDefault(KeyLayout.SUM, "0")))), byDimension);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> hash(List<?> replies, int index) {
        return (Map<String, String>) replies.get(index);
    }
}
