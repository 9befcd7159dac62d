package io.streamfold.api.query;

import io.streamfold.api.redis.RedisScript;
import io.streamfold.contract.AllTimeQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.redisson.api.RScript;

/**
 * The one place the API reads all-time aggregates: {@link AllTimeQuery}'s read-only script, run in one round trip,
 * reads the all-time hashes and the bins of the minutes not yet settled into them in one atomic step, and the query
 * adds them up.
 */
@ApplicationScoped
class AllTimeReader {

    private final RedisScript script = RedisScript.of(AllTimeQuery.script(), RScript.Mode.READ_ONLY);
    private final QueryModel model;

    AllTimeReader(QueryModel model) {
        this.model = model;
    }

    /** A query of nothing yet, on the configured stream. */
    AllTimeQuery query() {
        return AllTimeQuery.on(model.keys());
    }

    /**
     * Each hash {@code query} asks for, by key name, as {@code HGETALL} would return it if every minute were settled;
     * a hash that holds nothing is empty.
     */
    Map<String, Map<String, String>> read(AllTimeQuery query) {
        List<Object> reply = script.run(model.redisson(), List.copyOf(query.keys()), query.arguments().toArray());
        return query.merge(reply);
    }
}
