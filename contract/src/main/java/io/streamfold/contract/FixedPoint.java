package io.streamfold.contract;

import java.math.BigDecimal;

/**
 * Decimal values as exact integers of units ({@code 10^-scale}). Every sum of units is exact, so
 * totals never drift the way floating-point sums do.
 */
public final class FixedPoint {

    private final int scale;
    private final long unit;

    public FixedPoint(int scale) {
        if (scale < 0 || scale > EventSchema.MAX_SCALE) {
            throw new IllegalArgumentException("scale must be between 0 and " + EventSchema.MAX_SCALE + ", was " + scale);
        }
        this.scale = scale;
        long u = 1;
        for (int i = 0; i < scale; i++) {
            u *= 10;
        }
        this.unit = u;
    }

    /** Units as a decimal with exactly {@code scale} decimals ({@code 2345 → 23.45}). */
    public BigDecimal toDecimal(long units) {
        return BigDecimal.valueOf(units, scale);
    }

    /** Units as a plain decimal string ({@code -5 → "-0.05"}). */
    public String format(long units) {
        return toDecimal(units).toPlainString();
    }

    /**
     * Parses a decimal string ({@code -12.5}, {@code 23.45}, {@code 7}, {@code .5}) into units.
     * Returns the units, or throws {@link Invalid} saying why the text is not an acceptable value:
     * every value whose magnitude is at most {@code maxAbsUnits} is accepted (up to {@link Long#MAX_VALUE}),
     * every other one is {@link Kind#OUT_OF_RANGE}.
     */
    public long parse(CharSequence text, long maxAbsUnits) throws Invalid {
        int len = text.length();
        int i = 0;
        boolean negative = false;
        if (len > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long integralLimit = maxAbsUnits / unit; // a larger integral part is beyond the limit whatever its decimals
        long integral = 0;
        int integralDigits = 0;
        boolean overflow = false;
        for (; i < len && text.charAt(i) != '.'; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new Invalid(Kind.NOT_A_NUMBER, 0);
            }
            integralDigits++;
            int digit = c - '0';
            if (!overflow) {
                // integral * 10 + digit > integralLimit, without computing it (it could pass Long.MAX_VALUE)
                overflow = digit > integralLimit || integral > (integralLimit - digit) / 10;
                integral = integral * 10 + digit;
            }
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < len) {
            for (i++; i < len; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new Invalid(Kind.NOT_A_NUMBER, 0);
                }
                fractionDigits++;
                if (fractionDigits <= scale) {
                    fraction = fraction * 10 + (c - '0');
                } else if (c != '0') {
                    throw new Invalid(Kind.TOO_MANY_DECIMALS, significantDecimals(text));
                }
            }
        }
        if (integralDigits + fractionDigits == 0) {
            throw new Invalid(Kind.NOT_A_NUMBER, 0);
        }
        if (overflow) {
            throw new Invalid(Kind.OUT_OF_RANGE, 0);
        }
        for (int d = Math.min(fractionDigits, scale); d < scale; d++) {
            fraction *= 10;
        }
        long whole = integral * unit; // at most maxAbsUnits
        if (fraction > maxAbsUnits - whole) {
            throw new Invalid(Kind.OUT_OF_RANGE, 0);
        }
        long magnitude = whole + fraction;
        return negative ? -magnitude : magnitude;
    }

    private static int significantDecimals(CharSequence text) {
        int dot = text.toString().indexOf('.');
        int end = text.length();
        while (end > dot + 1 && text.charAt(end - 1) == '0') {
            end--;
        }
        return end - dot - 1;
    }

    /** Why a text is not an acceptable fixed-point value. */
    public enum Kind { NOT_A_NUMBER, OUT_OF_RANGE, TOO_MANY_DECIMALS }

    /** A value the parser refused; cheap to throw (no stack trace). */
    public static final class Invalid extends Exception {
        private final Kind kind;
        private final int decimals;

        Invalid(Kind kind, int decimals) {
            super(kind.name(), null, false, false);
            this.kind = kind;
            this.decimals = decimals;
        }

        public Kind kind() {
            return kind;
        }

        /** For {@link Kind#TOO_MANY_DECIMALS}: how many significant decimals the text had. */
        public int decimals() {
            return decimals;
        }
    }
}
