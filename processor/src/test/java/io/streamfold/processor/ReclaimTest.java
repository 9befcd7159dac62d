package io.streamfold.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.AllTimeReads;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisConnection;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
@TestProfile(ReclaimTest.FastReclaim.class)
@QuarkusTestResource(RedisTestResource.class)
class ReclaimTest {

    private static final String STREAM = "{reclaim}";

    /** Its own stream, and a reclaim pass every 200 ms. */
    public static class FastReclaim implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamfold.stream.name", "reclaim", "streamfold.consumer.reclaim-interval", "200ms");
        }
    }

    /**
     * Appends one entry and hands it to consumer {@code ghost} as if ghost had read it an hour ago,
     * {@code deliveries} times — atomically, so the running processor cannot read it first.
     */
    private static final String GHOST_READ = """
            local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
            redis.call('XREADGROUP', 'GROUP', 'aggregators', 'ghost', 'COUNT', 1, 'STREAMS', KEYS[1], '>')
            redis.call('XCLAIM', KEYS[1], 'aggregators', 'ghost', 0, id, 'IDLE', ARGV[1], 'RETRYCOUNT', ARGV[2])
            return id
            """;

    @InjectRedis
    RedisServer server;

    @RegisterExtension
    final RedisConnection connection = RedisConnection.toProcessorsStream(() -> server, STREAM);

    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        redis = connection.sync();
    }

    private String ghostRead(long deliveries, String value) {
        return redis.eval(GHOST_READ, ScriptOutputType.VALUE, new String[] {STREAM}, "3600000", String.valueOf(deliveries),
                "event_id", "e", "user_id", "u", "session_id", "s", "event_type", "view", "product", "p", "value", value, "ts",
                String.valueOf(System.currentTimeMillis()));
    }

    @Test
    void takesOverEntriesOfADeadConsumerAndAggregatesThem() {
        long before = count();
        ghostRead(1, "2.50");
        ghostRead(1, "0.50");

        await().atMost(Duration.ofSeconds(10)).until(() -> count() == before + 2);
        assertThat(redis.xpending(STREAM, "aggregators").getCount()).isZero();
    }

    @Test
    void deadLettersAnEntryDeliveredMoreOftenThanAllowed() {
        String id = ghostRead(9, "1.00");

        await().atMost(Duration.ofSeconds(10)).until(() -> redis.xlen(STREAM + ":dlq") == 1);
        List<StreamMessage<String, String>> letters = redis.xrange(STREAM + ":dlq", Range.create("-", "+"));
        assertThat(letters.get(0).getBody()).containsEntry("dlq_reason", "too_many_deliveries")
                .containsEntry("dlq_entry_id", id).containsEntry("dlq_deliveries", "10")
                .containsEntry("dlq_detail", "delivered 10 times; at most 5 are allowed").containsEntry("value", "1.00");
        assertThat(redis.xpending(STREAM, "aggregators").getCount()).isZero();
    }

    private long count() {
        String count = new AllTimeReads(redis, new KeyLayout("reclaim", "aggregators")).totals().get(KeyLayout.COUNT);
        return count == null ? 0 : Long.parseLong(count);
    }
}
