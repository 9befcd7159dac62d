package io.streamfold.processor.aggregation;

import static io.streamfold.processor.aggregation.RandomEventLists.MAX_ABS;
import static io.streamfold.processor.aggregation.RandomEventLists.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.contract.Event;
import io.streamfold.contract.ValueHistogram;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The CPU engine against the naive {@link ReferenceAggregates}: random events (negative values,
 * extremes of the value range, out-of-order times over three days) split into random batches must
 * give, batch by batch, exactly the reference's cells, and merged, exactly the reference's cells of
 * all events.
 */
class CpuAggregatorTest {

    private static final List<String> DIMENSIONS = List.of("event_type", "product");

    private final CpuAggregator engine = new CpuAggregator();

    @Test
    void everyBatchGivesExactlyTheReferenceCellsAndTheBatchesAddUpToTheWhole() {
        SplittableRandom random = new SplittableRandom(7);
        List<Event> events = randomEvents(random, 60_000);
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        Map<String, ReferenceAggregates.Cell> merged = new TreeMap<>();
        int batches = 0;
        for (int from = 0; from < events.size(); batches++) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(random.nextBoolean() ? 50 : 5_000));
            List<Event> batch = events.subList(from, to);
            aggregate(delta, batch);
            ReferenceAggregates reference = new ReferenceAggregates(DIMENSIONS);
            reference.addAll(batch);

            Map<String, ReferenceAggregates.Cell> cells = ReferenceAggregates.cellsOf(delta, DIMENSIONS);
            assertThat(cells).isEqualTo(reference.cells());
            cells.forEach((name, cell) -> merged.merge(name, cell, (a, b) -> {
                a.merge(b);
                return a;
            }));
            from = to;
        }
        ReferenceAggregates whole = new ReferenceAggregates(DIMENSIONS);
        whole.addAll(events);
        assertThat(batches).isGreaterThan(20);
        assertThat(merged).isEqualTo(whole.cells());
    }

    @Test
    void anEmptyBatchTouchesNoCell() {
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        aggregate(delta, randomEvents(new SplittableRandom(1), 100));

        aggregate(delta, List.of());

        assertThat(delta.cells().size()).isZero();
        assertThat(delta.uniqueUsers().size()).isZero();
        assertThat(delta.sessionDelta().size()).isZero();
    }

    @Test
    void allEventsInOneCellAddUpThereWithExtremeValues() {
        List<Event> events = new ArrayList<>();
        for (long value : new long[] {MAX_ABS, -MAX_ABS, MAX_ABS, 0}) {
            events.add(new Event("e", "u", "s", List.of("view", "p"), value, NOW));
        }
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        aggregate(delta, events);

        ReferenceAggregates.Cell cell = ReferenceAggregates.cellsOf(delta, DIMENSIONS).get(Math.floorDiv(NOW, 60_000L) + "|product|p");
        assertThat(cell.toString()).isEqualTo("{count=4, sum=" + MAX_ABS + ", min=" + -MAX_ABS + ", max=" + MAX_ABS
                + ", buckets={" + ValueHistogram.bucket(-MAX_ABS) + "=1, 0=1, " + ValueHistogram.bucket(MAX_ABS) + "=2}}");
        assertThat(delta.cells().size()).as("the minute's product, event type and total").isEqualTo(3);
    }

    @Test
    void percentilesReadFromTheMergedBucketsStayWithinTheDocumentedErrorOfTheSortedValues() {
        SplittableRandom random = new SplittableRandom(11);
        List<Event> events = randomEvents(random, 40_000);
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        Map<String, ReferenceAggregates.Cell> merged = new TreeMap<>();
        for (int from = 0; from < events.size(); from += 1_000) {
            aggregate(delta, events.subList(from, from + 1_000));
            ReferenceAggregates.cellsOf(delta, DIMENSIONS).forEach((name, cell) -> merged.merge(name.substring(name.indexOf('|')), cell, (a, b) -> {
                a.merge(b);
                return a;
            }));
        }
        long[] sorted = events.stream().mapToLong(Event::value).sorted().toArray();
        TreeMap<Integer, Long> buckets = merged.get("|total|").buckets();
        for (double q : new double[] {0, 0.001, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
            long exact = sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)];
            long estimate = ValueHistogram.quantile(buckets, q);
            double allowed = Math.abs(exact) < ValueHistogram.SUB_BUCKETS ? 0
                    : Math.abs(exact) * ValueHistogram.MAX_RELATIVE_ERROR_PERCENT / 100;
            assertThat((double) Math.abs(estimate - exact)).as("q=%s exact=%d estimate=%d", q, exact, estimate)
                    .isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void usersGoToTheHourOfTheirEventAndSessionsSumTheirEvents() {
        List<Event> events = List.of(
                new Event("1", "ann", "s1", List.of("view", "p"), 100, NOW),
                new Event("2", "ann", "s1", List.of("view", "p"), -30, NOW - 1_000),
                new Event("3", "bob", "s2", List.of("view", "p"), 5, NOW),
                new Event("4", "ann", "s1", List.of("view", "p"), 7, NOW - 3_600_000));
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        aggregate(delta, events);

        UniqueUsers users = delta.uniqueUsers();
        Map<Long, byte[]> byHour = new TreeMap<>();
        for (int i = 0; i < users.size(); i++) {
            byHour.put(users.hour(i), users.users(i).dense().clone());
        }
        long hour = UniqueUsers.hourOf(NOW);
        assertThat(byHour).containsOnlyKeys(hour - 1, hour);
        assertThat(byHour.get(hour - 1)).isEqualTo(sketchOf("ann"));
        assertThat(byHour.get(hour)).isEqualTo(sketchOf("ann", "bob"));
        SessionDelta sessions = delta.sessionDelta();
        List<String> summaries = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) {
            summaries.add(sessions.id(s) + "=" + Arrays.toString(new long[] {
                sessions.events(s), sessions.sum(s), sessions.first(s), sessions.last(s)}));
        }
        assertThat(summaries).containsExactlyInAnyOrder(
                "s1=[3, 77, " + (NOW - 3_600_000) + ", " + NOW + "]", "s2=[1, 5, " + NOW + ", " + NOW + "]");
    }

    @Test
    void noSessionIsTrackedWhenSessionsAreSwitchedOff() {
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), false);
        aggregate(delta, List.of(new Event("1", "ann", "s1", List.of("view", "p"), 100, NOW)));

        assertThat(delta.sessionDelta().size()).isZero();
        assertThat(delta.uniqueUsers().size()).isOne();
        assertThat(delta.events().size()).isOne();
    }

    /** The dense HyperLogLog of {@code users}: each once, in any order, gives the same registers. */
    private static byte[] sketchOf(String... users) {
        HyperLogLog sketch = new HyperLogLog();
        for (String user : users) {
            byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
            sketch.add(bytes, 0, bytes.length);
        }
        return sketch.dense();
    }

    private void aggregate(BatchDelta delta, List<Event> events) {
        delta.clear();
        events.forEach(delta::add);
        delta.aggregate(engine);
    }

    /** Times over three days, 300 products. */
    private static List<Event> randomEvents(SplittableRandom random, int count) {
        return RandomEventLists.randomEvents(random, count, 3 * 86_400_000L, 300);
    }
}
