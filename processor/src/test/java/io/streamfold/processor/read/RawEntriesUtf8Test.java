package io.streamfold.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawEntriesUtf8Test {

    private final RawEntries entries = new RawEntries(List.of("product", "value"));

    /** Adds an entry of the given names and values, each as raw bytes. */
    private int entry(byte[]... namesAndValues) {
        entries.startEntry(ByteBuffer.wrap(("1-" + entries.size()).getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            entries.name(ByteBuffer.wrap(namesAndValues[i]));
            entries.value(ByteBuffer.wrap(namesAndValues[i + 1]));
        }
        return entries.size() - 1;
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsNothingInAnEntryOfWellFormedUtf8() {
        assertThat(entries.notUtf8(entry(text("product"), text("café 日本"), text("value"), text("1.00")))).isNull();
    }

    @Test
    void namesTheFieldWhoseValueIsNotUtf8() {
        int entry = entry(text("value"), text("1.00"), text("product"), new byte[] {'p', (byte) 0xC3, 0x28});

        assertThat(entries.notUtf8(entry)).isEqualTo("field 'product'");
    }

    @Test
    void findsAFieldNameThatIsNotUtf8() {
        assertThat(entries.notUtf8(entry(new byte[] {(byte) 0xFF}, text("x"), text("value"), text("1.00"))))
                .isEqualTo("a field name");
    }

    @Test
    void findsASequenceSplitBetweenANameAndItsValueThoughTheEntryAsAWholeIsWellFormed() {
        byte[] e = text("é"); // C3 A9
        int entry = entry(new byte[] {'p', e[0]}, new byte[] {e[1], 'x'}, text("value"), text("1.00"));

        assertThat(entries.notUtf8(entry)).isEqualTo("a field name");
    }
}
