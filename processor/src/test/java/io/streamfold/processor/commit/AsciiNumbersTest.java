package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiNumbersTest {

    private final AsciiNumbers numbers = new AsciiNumbers();

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void writesEveryLongAsLongToStringDoes() {
        for (long value : new long[] {0, 7, -7, 10, -10, 1_234_567_890_123L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1}) {
            assertThat(text(numbers.of(value))).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void writesASpaceSeparatedListAndGrowsPastItsFirstBuffer() {
        StringBuilder expected = new StringBuilder();
        numbers.clear();
        for (int i = 0; i < 100; i++) {
            if (!numbers.isEmpty()) {
                numbers.space();
                expected.append(' ');
            }
            long value = (i % 2 == 0 ? 1 : -1) * 1_000_000_007L * i;
            numbers.append(value);
            expected.append(value);
        }

        assertThat(text(numbers.toBytes())).isEqualTo(expected.toString());
        assertThat(numbers.clear().isEmpty()).isTrue();
    }
}
