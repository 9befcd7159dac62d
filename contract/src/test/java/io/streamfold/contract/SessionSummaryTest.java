package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionSummaryTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 4_294_967_295L, 4_294_967_296L, -4_294_967_296L, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE})
    void anySumRoundTripsExactlyThroughTheStoredForm(long sum) {
        SessionSummary summary = new SessionSummary(3, sum, 1_795_600_000_000L, 1_795_600_060_000L);

        byte[] stored = summary.encode();

        assertThat(stored).hasSize(SessionSummary.BYTES);
        assertThat(SessionSummary.decode(stored)).isEqualTo(summary);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 4_294_967_296L, Long.MIN_VALUE})
    void encodingIntoAReusedArrayLeavesExactlyWhatANewOneHolds(long sum) {
        SessionSummary summary = new SessionSummary(7, sum, 1_795_600_000_001L, 1_795_600_000_002L);
        byte[] reused = new SessionSummary(Long.MAX_VALUE >> 11, Long.MAX_VALUE, -1, -1).encode();

        SessionSummary.encode(summary.events(), summary.sum(), summary.first(), summary.last(), reused);

        assertThat(reused).isEqualTo(summary.encode());
        assertThat(SessionSummary.decode(reused)).isEqualTo(summary);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 39, 41})
    void aStoredValueOfTheWrongLengthIsRejectedSayingSo(int length) {
        assertThatThrownBy(() -> SessionSummary.decode(new byte[length])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a session summary: " + length + " bytes, not 40");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, Double.NaN, 0x1p60})
    void aFieldThatIsNoExactIntegerIsRejected(double events) {
        byte[] stored = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putDouble(events).array();

        assertThatThrownBy(() -> SessionSummary.decode(stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event count").hasMessageContaining("is not an exact integer");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 0x1p32})
    void aLowHalfOutsideItsRangeIsRejected(double low) {
        byte[] stored = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(0).putDouble(low).array();

        assertThatThrownBy(() -> SessionSummary.decode(stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low half");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0x1p31, -0x1p31 - 1})
    void aSumBeyondALongIsRejected(double high) {
        byte[] stored = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(high).array();

        assertThatThrownBy(() -> SessionSummary.decode(stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("session sum beyond a long");
    }
}
