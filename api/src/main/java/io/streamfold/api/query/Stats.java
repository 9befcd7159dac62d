package io.streamfold.api.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamfold.contract.FixedPoint;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Count, exact sum, min, max and mean of a set of events; min, max and mean are absent when there
 * were none. Mean is rounded half-even to two more decimals than the values have.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Stats(long count, BigDecimal sum, BigDecimal min, BigDecimal max, BigDecimal mean) {

    /** Accumulates stats from fixed-point units. */
    static final class Builder {
        private long count;
        private long sum;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;

        /** Adds a cell read from Redis: its count, sum, min and max as stored (any may be null when absent). */
        Builder add(String count, String sum, String min, String max) {
            if (count == null) {
                return this;
            }
            this.count += Long.parseLong(count);
            this.sum = Math.addExact(this.sum, sum == null ? 0 : Long.parseLong(sum));
            if (min != null) {
                this.min = Math.min(this.min, Long.parseLong(min));
            }
            if (max != null) {
                this.max = Math.max(this.max, Long.parseLong(max));
            }
            return this;
        }

        long count() {
            return count;
        }

        long sum() {
            return sum;
        }

        Stats build(FixedPoint fixedPoint, int scale) {
            if (count == 0) {
                return new Stats(0, fixedPoint.toDecimal(0), null, null, null);
            }
            BigDecimal total = fixedPoint.toDecimal(sum);
            return new Stats(count, total, fixedPoint.toDecimal(min), fixedPoint.toDecimal(max),
                    total.divide(BigDecimal.valueOf(count), scale + 2, RoundingMode.HALF_EVEN));
        }
    }
}
