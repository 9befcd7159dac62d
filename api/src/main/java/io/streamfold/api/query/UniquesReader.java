package io.streamfold.api.query;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.redisson.client.codec.StringCodec;

/** Counts the users of the current hour or day from their HyperLogLog. */
@ApplicationScoped
public class UniquesReader {

    /** The periods unique users are counted over. */
    public enum Period { HOUR, DAY }

    private final QueryModel model;

    UniquesReader(QueryModel model) {
        this.model = model;
    }

    public Uniques uniques(Period period) {
        long now = model.nowMillis();
        long length = period == Period.HOUR ? 3_600_000L : 86_400_000L;
        long index = Math.floorDiv(now, length);
        String key = period == Period.HOUR ? model.keys().usersInHour(index) : model.keys().usersOnDay(index);
        long users = model.redisson().getHyperLogLog(key, StringCodec.INSTANCE).count();
        return new Uniques(period == Period.HOUR ? "1h" : "1d", Instant.ofEpochMilli(index * length).toString(), users);
    }
}
