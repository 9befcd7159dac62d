package io.streamfold.api.query;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.FixedPoint;
import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;

/** What every query reads with: Redis, the key layout, the schema (dimensions, scale, retention) and the clock. */
@ApplicationScoped
public class QueryModel {

    private final RedissonClient redisson;
    private final KeyLayout keys;
    private final EventSchema schema;
    private final FixedPoint fixedPoint;
    private final Clock clock;

    QueryModel(RedissonClient redisson, ApiConfig config, Clock clock) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
        this.schema = config.schema().toSchema();
        this.fixedPoint = schema.fixedPoint();
        this.clock = clock;
    }

    /** A batch of commands sent in one round trip. */
    public RBatch batch() {
        return redisson.createBatch();
    }

    public RedissonClient redisson() {
        return redisson;
    }

    public KeyLayout keys() {
        return keys;
    }

    List<String> dimensions() {
        return schema.dimensions();
    }

    Duration retention() {
        return schema.retention();
    }

    public FixedPoint fixedPoint() {
        return fixedPoint;
    }

    int scale() {
        return schema.scale();
    }

    long nowMillis() {
        return clock.millis();
    }

    /** The epoch minutes a window ending now covers: from the minute holding now − window to the current one. */
    long[] minutesOf(Duration window) {
        long now = nowMillis();
        return new long[] {Math.floorDiv(now - window.toMillis(), 60_000L), Math.floorDiv(now, 60_000L)};
    }

    Stats stats(Stats.Builder builder) {
        return builder.build(fixedPoint, schema.scale());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> hash(List<?> replies, int index) {
        return (Map<String, String>) replies.get(index);
    }
}
