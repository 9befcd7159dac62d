package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FixedPointTest {

    private final FixedPoint cents = new FixedPoint(2);

    @ParameterizedTest
    @CsvSource({"23.45,2345", "-23.45,-2345", "+7,700", "7.,700", ".5,50", "0.05,5", "-0.00,0", "007.10,710"})
    void parsesDecimalTextIntoUnits(String text, long units) throws Exception {
        assertThat(cents.parse(text, Long.MAX_VALUE)).isEqualTo(units);
    }

    @Test
    void formatsUnitsBackIntoTheSameDecimal() {
        assertThat(cents.format(-5)).isEqualTo("-0.05");
        assertThat(cents.format(123456)).isEqualTo("1234.56");
        assertThat(new FixedPoint(0).format(42)).isEqualTo("42");
    }

    @Test
    void roundTripsRandomValuesExactlyAgainstBigDecimal() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long units = random.nextLong() % 100_000_000_000L;
            String text = cents.format(units);
            assertThat(cents.parse(text, 100_000_000_000L)).isEqualTo(units);
            assertThat(new BigDecimal(text).movePointRight(2).longValueExact()).isEqualTo(units);
        }
    }

    @Test
    void refusesValuesWhoseUnitsWouldOverflowALong() {
        assertThatThrownBy(() -> cents.parse("92233720368547758.07", Long.MAX_VALUE))
                .isInstanceOfSatisfying(FixedPoint.Invalid.class,
                        invalid -> assertThat(invalid.kind()).isEqualTo(FixedPoint.Kind.OUT_OF_RANGE));
    }
}
