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
        assertThatThrownBy(() -> cents.parse("92233720368547758.08", Long.MAX_VALUE))
                .isInstanceOfSatisfying(FixedPoint.Invalid.class,
                        invalid -> assertThat(invalid.kind()).isEqualTo(FixedPoint.Kind.OUT_OF_RANGE));
        assertThatThrownBy(() -> cents.parse("1000000000000000000000", Long.MAX_VALUE))
                .isInstanceOfSatisfying(FixedPoint.Invalid.class,
                        invalid -> assertThat(invalid.kind()).isEqualTo(FixedPoint.Kind.OUT_OF_RANGE));
    }

    @ParameterizedTest
    @CsvSource({
        "2, 50000000000000000, 50000000000000000.01", // max-abs-value 5e16 at scale 2 (5e18 units): issue 26
        "2, 92233720368547758.07, 92233720368547758.08", // every unit a long holds
        "0, 9223372036854775807, 9223372036854775808",
        "9, 9223372036.854775807, 9223372036.854775808",
        "2, 0.5, 0.51",
        "2, 1000000000, 1000000000.01"})
    void acceptsEveryValueUpToTheLimitItIsGivenAndNothingBeyond(int scale, String limit, String beyond) throws Exception {
        FixedPoint fixedPoint = new FixedPoint(scale);
        long limitUnits = new BigDecimal(limit).movePointRight(scale).longValueExact();
        assertThat(fixedPoint.parse(limit, limitUnits)).isEqualTo(limitUnits);
        assertThat(fixedPoint.parse("-" + limit, limitUnits)).isEqualTo(-limitUnits);
        assertThatThrownBy(() -> fixedPoint.parse(beyond, limitUnits))
                .isInstanceOfSatisfying(FixedPoint.Invalid.class,
                        invalid -> assertThat(invalid.kind()).isEqualTo(FixedPoint.Kind.OUT_OF_RANGE));
        assertThatThrownBy(() -> fixedPoint.parse("-" + beyond, limitUnits))
                .isInstanceOfSatisfying(FixedPoint.Invalid.class,
                        invalid -> assertThat(invalid.kind()).isEqualTo(FixedPoint.Kind.OUT_OF_RANGE));
    }
}
