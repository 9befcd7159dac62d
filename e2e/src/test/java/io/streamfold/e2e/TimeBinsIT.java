package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RandomEvents;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Minute bins as a dashboard reads them: events spread over the last hour, out of order, go
 * through the packaged processor, and the per-minute series of one event type read back from Redis
 * equals the expectation computed here from the entries, bin by bin. Events older than the
 * retention or too far ahead are dead-lettered with their reason.
 */
@RedisTest
class TimeBinsIT {

    private static final KeyLayout KEYS = KeyLayout.defaults();
    private static final String TYPE = "purchase";

    @Test
    void theMinuteSeriesOfAnEventTypeEqualsTheExpectationBinByBin(RedisServer server) throws Exception {
        long now = System.currentTimeMillis();
        List<Map<String, String>> events = new RandomEvents(20261125, 20, now).next(6_000);
        Map<String, String> expectedReasons = new TreeMap<>();
        RedisClient client = RedisClient.create(server.uri());
        int port = FreePort.pick();
        try (StatefulRedisConnection<String, String> connection = client.connect();
             ServiceProcess processor = ServiceProcess.start("processor", "processor",
                     Map.of("streamfold.redis.url", server.uri(), "quarkus.http.port", String.valueOf(port)))) {
            RedisCommands<String, String> redis = connection.sync();
            processor.awaitReady(port, Duration.ofSeconds(90));
            for (int i = 0; i < events.size(); i++) {
                redis.xadd(KEYS.stream(), events.get(i));
                if (i % 1_000 == 0) {
                    expectedReasons.put(redis.xadd(KEYS.stream(), stamped(events.get(i), now - Duration.ofDays(8).toMillis())), "too_old");
                    expectedReasons.put(redis.xadd(KEYS.stream(), stamped(events.get(i), now + Duration.ofMinutes(10).toMillis())), "future_ts");
                }
            }

            await().atMost(Duration.ofMinutes(2)).until(() -> StreamContents.drained(redis)
                    && redis.xlen(KEYS.deadLetters()) == expectedReasons.size());

            Map<Long, Minute> expected = new TreeMap<>();
            for (Map<String, String> event : events) {
                long minute = Math.floorDiv(Long.parseLong(event.get("ts")), 60_000L);
                expected.computeIfAbsent(minute, m -> new Minute()).add(event);
            }
            long first = Math.floorDiv(now - Duration.ofMinutes(70).toMillis(), 60_000L);
            long last = Math.floorDiv(now, 60_000L) + 10;
            int binsWithPurchases = 0;
            for (long minute = first; minute <= last; minute++) {
                Map<String, String> bin = new HashMap<>(redis.hgetall(KEYS.minuteBin(minute)));
                Map<String, String> actual = new TreeMap<>();
                for (String stat : List.of(KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX)) {
                    String value = bin.get(KeyLayout.binField(stat, "event_type", TYPE));
                    if (value != null) {
                        actual.put(stat, value);
                    }
                }
                Minute want = expected.getOrDefault(minute, new Minute());
                assertThat(actual).as("minute %d of %s", minute, TYPE).isEqualTo(want.purchases());
                assertThat(bin.get(KeyLayout.COUNT)).as("events in minute %d", minute)
                        .isEqualTo(want.events == 0 ? null : String.valueOf(want.events));
                binsWithPurchases += actual.isEmpty() ? 0 : 1;
            }
            assertThat(binsWithPurchases).as("minutes with purchases").isGreaterThan(55);

            Map<String, String> reasons = new TreeMap<>();
            StreamContents.deadLetters(redis)
                    .forEach(letter -> reasons.put(letter.get("dlq_entry_id"), letter.get("dlq_reason")));
            assertThat(reasons).isEqualTo(expectedReasons);
        } finally {
            client.shutdown();
        }
    }

    private static Map<String, String> stamped(Map<String, String> event, long ts) {
        Map<String, String> copy = new TreeMap<>(event);
        copy.put("ts", String.valueOf(ts));
        return copy;
    }

    /** One minute's events, and the statistics of its purchases, from the decimal fields. */
    private static final class Minute {
        long events;
        long purchases;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal min;
        BigDecimal max;

        void add(Map<String, String> event) {
            events++;
            if (!event.get("event_type").equals(TYPE)) {
                return;
            }
            BigDecimal value = new BigDecimal(event.get("value"));
            purchases++;
            sum = sum.add(value);
            min = min == null ? value : min.min(value);
            max = max == null ? value : max.max(value);
        }

        Map<String, String> purchases() {
            Map<String, String> stats = new TreeMap<>();
            if (purchases > 0) {
                stats.put(KeyLayout.COUNT, String.valueOf(purchases));
                stats.put(KeyLayout.SUM, units(sum));
                stats.put(KeyLayout.MIN, units(min));
                stats.put(KeyLayout.MAX, units(max));
            }
            return stats;
        }

        private static String units(BigDecimal value) {
            return value.movePointRight(2).toBigIntegerExact().toString();
        }
    }
}
