package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchDeltaTest {

    @Test
    void dictionaryGivesEachDistinctValueOneStableIdWhetherLookedUpByBytesOrString() {
        Dictionary dictionary = new Dictionary();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String value = "product-" + (i % 3_000) + ((i / 3_000) % 2 == 0 ? "" : "-ü");
            byte[] padded = ("xx" + value + "yy").getBytes(StandardCharsets.UTF_8);
            int id = dictionary.idOf(padded, 2, padded.length - 4);
            Integer earlier = ids.putIfAbsent(value, id);
            if (earlier != null) {
                assertThat(id).isEqualTo(earlier);
            }
            assertThat(dictionary.idOf(value)).isEqualTo(id);
            assertThat(dictionary.value(id)).isEqualTo(value);
        }
        assertThat(dictionary.size()).isEqualTo(ids.size()).isEqualTo(6_000);
    }

    @Test
    void sumsAndCountsEveryTouchedCellExactlyAndStartsCleanAfterClear() {
        BatchDelta delta = new BatchDelta(2);
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 3; round++) {
            Map<String, long[]> expected = new HashMap<>();
            long count = 0;
            long sum = 0;
            for (int i = 0; i < 5_000; i++) {
                String type = "t" + random.nextInt(5);
                String product = "p" + random.nextInt(300);
                long value = random.nextLong(-1_000_000_000L, 1_000_000_000L);
                delta.add(new int[] {delta.dictionary(0).idOf(type), delta.dictionary(1).idOf(product)}, value);
                count++;
                sum += value;
                expected.merge("0:" + type, new long[] {1, value}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                expected.merge("1:" + product, new long[] {1, value}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
            Map<String, long[]> actual = new HashMap<>();
            for (int d = 0; d < 2; d++) {
                for (int k = 0; k < delta.cells(d); k++) {
                    actual.put(d + ":" + delta.value(d, k), new long[] {delta.count(d, k), delta.sum(d, k)});
                }
            }
            assertThat(delta.count()).isEqualTo(count);
            assertThat(delta.sum()).isEqualTo(sum);
            assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
            delta.clear();
            assertThat(delta.cells(0) + delta.cells(1)).isZero();
        }
    }
}
