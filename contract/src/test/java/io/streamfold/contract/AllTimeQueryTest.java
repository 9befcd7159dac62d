package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllTimeQueryTest {

    private static final KeyLayout KEYS = KeyLayout.defaults();

    @Test
    void asksForTheHashesThenTheMinuteHistogramsBySuffix() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals().stats("product", KeyLayout.COUNT, KeyLayout.MAX)
                .histogram().histogram("product", "p:1");

        assertThat(query.keys()).containsExactly("{events}");
        assertThat(query.arguments()).containsExactly("1", "5", "{events}:agg:total", "{events}:agg:count:product",
                "{events}:agg:max:product", "{events}:hist", "{events}:hist:product:p:1", "", ":product:p:1");
    }

    @Test
    void aHashAskedForTwiceIsReadAndAddedOnce() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).histogram().histogram().stats("product", KeyLayout.SUM, KeyLayout.SUM);

        assertThat(query.arguments()).containsExactly("1", "2", "{events}:agg:sum:product", "{events}:hist", "");
    }

    @Test
    void aHistogramAloneNeedsNoBins() {
        assertThat(AllTimeQuery.on(KEYS).histogram().arguments()).containsExactly("0", "1", "{events}:hist", "");
    }

    @Test
    void addsEveryUnfoldedMinuteToTheAllTimeHashes() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals().stats("product", KeyLayout.COUNT, KeyLayout.SUM,
                KeyLayout.MIN, KeyLayout.MAX).stats("event_type", KeyLayout.COUNT);
        List<Object> reply = List.of(List.of("100", "101"),
                List.of("count", "3", "sum", "30", "min", "5", "max", "15"),
                List.of("p:1", "3"), List.of("p:1", "30"), List.of("p:1", "5"), List.of("p:1", "15"),
                List.of("view", "3"),
                List.of("count", "2", "sum", "-4", "min", "-7", "max", "3", "count:product:p:1", "1",
                        "sum:product:p:1", "-7", "min:product:p:1", "-7", "max:product:p:1", "-7",
                        "count:product:p2", "1", "sum:product:p2", "3", "min:product:p2", "3", "max:product:p2", "3",
                        "count:event_type:view", "2", "sum:event_type:view", "-4"),
                List.of("count", "1", "sum", "20", "min", "20", "max", "20", "count:product:p:1", "1",
                        "sum:product:p:1", "20", "min:product:p:1", "20", "max:product:p:1", "20",
                        "count:event_type:buy", "1"));

        Map<String, Map<String, String>> hashes = query.merge(reply);

        assertThat(hashes.get("{events}:agg:total")).isEqualTo(Map.of("count", "6", "sum", "46", "min", "-7", "max", "20"));
        assertThat(hashes.get("{events}:agg:count:product")).isEqualTo(Map.of("p:1", "5", "p2", "1"));
        assertThat(hashes.get("{events}:agg:sum:product")).isEqualTo(Map.of("p:1", "43", "p2", "3"));
        assertThat(hashes.get("{events}:agg:min:product")).isEqualTo(Map.of("p:1", "-7", "p2", "3"));
        assertThat(hashes.get("{events}:agg:max:product")).isEqualTo(Map.of("p:1", "20", "p2", "3"));
        assertThat(hashes.get("{events}:agg:count:event_type")).isEqualTo(Map.of("view", "5", "buy", "1"));
    }

    @Test
    void addsTheMinutesHistogramsBucketByBucket() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).histogram("product", "p1");
        List<Object> reply = List.of(List.of("7"), List.of("12", "4", "-3", "1"), List.of("12".getBytes(), "2".getBytes(),
                "130".getBytes(), "1".getBytes()));

        assertThat(query.merge(reply).get("{events}:hist:product:p1")).isEqualTo(Map.of("12", "6", "-3", "1", "130", "1"));
    }

    @Test
    void countsAndSumsAddExactlyBeyondWhatADoubleHolds() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals();
        List<Object> reply = List.of(List.of("5"), List.of("sum", "9007199254740993"), List.of("sum", "1"));

        assertThat(query.merge(reply).get("{events}:agg:total")).isEqualTo(Map.of("sum", "9007199254740994"));
    }

    @Test
    void withNothingStoredEveryHashAskedForIsEmpty() {
        AllTimeQuery query = AllTimeQuery.on(KEYS).totals().histogram();

        assertThat(query.merge(List.of(List.of(), List.of(), List.of())))
                .isEqualTo(Map.of("{events}:agg:total", Map.of(), "{events}:hist", Map.of()));
    }

    @Test
    void refusesAStatisticThatDoesNotExist() {
        assertThatThrownBy(() -> AllTimeQuery.on(KEYS).stats("product", "mean"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no such statistic: 'mean'");
    }

    @Test
    void shipsItsScript() {
        assertThat(AllTimeQuery.script().text()).contains("ZRANGE").contains("HGETALL");
    }
}
