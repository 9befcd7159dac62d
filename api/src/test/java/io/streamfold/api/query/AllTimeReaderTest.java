package io.streamfold.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.api.redis.RedisScript;
import io.streamfold.contract.AllTimeQuery;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/** The all-time script as Redisson runs it: its nested reply, the query's merge of it, and a script Redis forgot. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AllTimeReaderTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final long MINUTE = 29_600_000;

    @InjectRedis
    RedisServer redis;

    @Inject
    RedissonClient redisson;

    @Inject
    AllTimeReader reader;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @Test
    void repliesWithNestedListsOfStringsThatTheQueryAddsUp() {
        redis.command("HSET", "{events}:agg:total", "count", "1", "sum", "9007199254740993", "min", "5", "max", "5");
        redis.command("ZADD", "{events}:settle:minutes", String.valueOf(MINUTE), String.valueOf(MINUTE));
        redis.command("HSET", "{events}:bin:" + MINUTE, "count", "2", "sum", "2", "min", "-9", "max", "2");
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals();

        List<Object> reply = RedisScript.of(AllTimeQuery.script(), RScript.Mode.READ_ONLY)
                .run(redisson, List.copyOf(query.keys()), query.arguments().toArray());

        assertThat(reply).isEqualTo(List.of(List.of(String.valueOf(MINUTE)),
                List.of("count", "1", "sum", "9007199254740993", "min", "5", "max", "5"),
                List.of("count", "2", "sum", "2", "min", "-9", "max", "2")));
        assertThat(query.merge(reply)).isEqualTo(Map.of("{events}:agg:total",
                Map.of("count", "3", "sum", "9007199254740995", "min", "-9", "max", "5")));
    }

    @Test
    void readsEveryHashAskedForWithTheUnsettledMinutesOnly() {
        redis.command("HSET", "{events}:agg:count:product", "p1", "2");
        redis.command("HSET", "{events}:hist:product:p1", "5", "2");
        redis.command("ZADD", "{events}:settle:minutes", String.valueOf(MINUTE), String.valueOf(MINUTE));
        redis.command("HSET", "{events}:bin:" + MINUTE, "count:product:p1", "3", "count:product:p2", "1",
                "sum:product:p2", "40", "count:event_type:p1", "8");
        redis.command("HSET", "{events}:binhist:" + MINUTE + ":product:p1", "5", "1", "9", "2");
        redis.command("HSET", "{events}:bin:" + (MINUTE - 1), "count:product:p1", "100");
        redis.command("HSET", "{events}:binhist:" + (MINUTE - 1) + ":product:p1", "5", "100");

        assertThat(reader.read(reader.query().stats("product", KeyLayout.COUNT).histogram("product", "p1")))
                .isEqualTo(Map.of("{events}:agg:count:product", Map.of("p1", "5", "p2", "1"),
                        "{events}:hist:product:p1", Map.of("5", "3", "9", "2")));
    }

    @Test
    void readsEmptyHashesWhenNothingIsStored() {
        assertThat(reader.read(reader.query().totals().stats("product", KeyLayout.SUM).histogram()))
                .isEqualTo(Map.of("{events}:agg:total", Map.of(), "{events}:agg:sum:product", Map.of(),
                        "{events}:hist", Map.of()));
    }

    @Test
    void loadsTheScriptAgainWhenRedisForgotIt() {
        redis.command("HSET", "{events}:agg:total", "count", "4");
        assertThat(reader.read(reader.query().totals())).isEqualTo(Map.of("{events}:agg:total", Map.of("count", "4")));

        redis.command("SCRIPT", "FLUSH");
        redis.command("ZADD", "{events}:settle:minutes", String.valueOf(MINUTE), String.valueOf(MINUTE));
        redis.command("HSET", "{events}:bin:" + MINUTE, "count", "1");

        assertThat(reader.read(reader.query().totals())).isEqualTo(Map.of("{events}:agg:total", Map.of("count", "5")));
    }
}
