package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ValueHistogramTest {

    @Test
    void everyValueLiesInItsBucketAndBucketsSortLikeValues() {
        SplittableRandom random = new SplittableRandom(5);
        long[] edges = {0, 1, -1, 127, 128, -128, 255, 256, 257, 1L << 40, (1L << 40) - 1, Long.MAX_VALUE, -Long.MAX_VALUE};
        for (long value : edges) {
            assertInOwnBucket(value);
        }
        long previousValue = Long.MIN_VALUE + 1;
        int previousBucket = ValueHistogram.bucket(previousValue);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong() >> random.nextInt(63);
        }
        Arrays.sort(values);
        for (long value : values) {
            if (value == Long.MIN_VALUE) {
                continue;
            }
            assertInOwnBucket(value);
            int bucket = ValueHistogram.bucket(value);
            assertThat(bucket).as("bucket of %d after %d", value, previousValue).isGreaterThanOrEqualTo(previousBucket);
            previousValue = value;
            previousBucket = bucket;
        }
    }

    @Test
    void smallMagnitudesHaveExactBucketsAndTheLargestFitTheDocumentedCount() {
        for (long v = -127; v <= 127; v++) {
            assertThat(ValueHistogram.representative(ValueHistogram.bucket(v))).isEqualTo(v);
        }
        assertThat(ValueHistogram.bucket(Long.MAX_VALUE)).isEqualTo(7_295);
        assertThat(ValueHistogram.bucket(-Long.MAX_VALUE)).isEqualTo(-7_295);
    }

    @Test
    void percentilesStayWithinTheDocumentedErrorOfExactSortedValues() {
        SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 20; round++) {
            int n = 1 + random.nextInt(50_000);
            long[] values = new long[n];
            TreeMap<Integer, Long> counts = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                // order values in units: mostly prices, some refunds, some extremes of the schema's range
                long value = switch (random.nextInt(10)) {
                    case 0 -> -random.nextLong(1, 100_000);
                    case 1 -> random.nextLong(-100_000_000_000L, 100_000_000_001L);
                    default -> random.nextLong(1, 50_000);
                };
                values[i] = value;
                counts.merge(ValueHistogram.bucket(value), 1L, Long::sum);
            }
            Arrays.sort(values);
            for (double q : new double[] {0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
                long exact = values[(int) Math.max(0, Math.ceil(q * n) - 1)];
                long estimate = ValueHistogram.quantile(counts, q);
                assertThat((double) estimate).as("q=%s of %d values", q, n)
                        .isCloseTo(exact, within(Math.abs(exact) * ValueHistogram.MAX_RELATIVE_ERROR_PERCENT / 100));
            }
        }
    }

    private static void assertInOwnBucket(long value) {
        int bucket = ValueHistogram.bucket(value);
        long magnitude = Math.abs(value);
        long lower = ValueHistogram.lowerMagnitude(bucket);
        assertThat(magnitude).as("value %d in bucket %d", value, bucket)
                .isGreaterThanOrEqualTo(lower).isLessThanOrEqualTo(lower + (ValueHistogram.width(bucket) - 1));
        assertThat(Long.signum(ValueHistogram.representative(bucket))).isEqualTo(Long.signum(value));
    }
}
