package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "view", "café", "日本語", "😀 emoji", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff"})
    void acceptsWellFormedUtf8(String text) {
        byte[] bytes = ("x" + text + "y").getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValid(bytes, 1, bytes.length - 2)).isTrue();
        assertThat(Utf8.isEncodable(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c328", "80", "bf", "c080", "c1bf", "e08080", "eda080", "edbfbf", "f4908080", "f5808080", "ff",
        "e282", "f09f98", "41c3"})
    void refusesBytesThatAreNotWellFormedUtf8(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).as(hex).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00", "\ud83d", "\ude00\ud83d"})
    void refusesStringsWithALoneSurrogate(String text) {
        assertThat(Utf8.isEncodable(text)).isFalse();
    }
}
