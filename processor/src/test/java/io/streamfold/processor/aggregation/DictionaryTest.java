package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DictionaryTest {

    @Test
    void givesEachDistinctValueOneStableIdWhetherLookedUpByBytesOrString() {
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
    void keepsAValuesBytesInItsStorageAsTheStorageGrowsAndStillDecodesItLater() {
        Dictionary dictionary = new Dictionary();
        byte[] source = "session-ü-42".getBytes(StandardCharsets.UTF_8);
        int id = dictionary.idOf(source, 0, source.length);
        for (int i = 0; i < 200; i++) {
            dictionary.idOf("another value, long enough to outgrow the first storage " + i);
        }

        byte[] storage = dictionary.storage();
        int offset = dictionary.offset(id);

        assertThat(storage.length).isGreaterThan(1024);
        assertThat(dictionary.length(id)).isEqualTo(source.length);
        assertThat(Arrays.copyOfRange(storage, offset, offset + source.length)).isEqualTo(source);
        assertThat(dictionary.value(id)).isEqualTo("session-ü-42");
    }

    @Test
    void startsAgainFromIdZeroAfterClear() {
        Dictionary dictionary = new Dictionary();
        dictionary.idOf("a");
        dictionary.idOf("b");
        dictionary.clear();

        assertThat(dictionary.idOf("b")).isZero();
        assertThat(dictionary.size()).isEqualTo(1);
    }
}
