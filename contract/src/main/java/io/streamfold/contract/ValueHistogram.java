package io.streamfold.contract;

import java.util.Map;
import java.util.NavigableMap;

/**
 * The fixed, mergeable bucket layout of value histograms, for percentiles. A value in fixed-point
 * units maps to a signed bucket number by integer arithmetic alone (a leading-zero count and a
 * shift), so the CPU engine, the GPU kernels and any other implementation place every value in
 * exactly the same bucket, and bucket counts simply add up across batches and processors.
 *
 * <ul>
 *   <li>|v| below {@value #SUB_BUCKETS}: one bucket per value (exact);</li>
 *   <li>otherwise, with e the position of the highest set bit of |v|: {@value #SUB_BUCKETS} buckets per
 *       power of two, so a bucket spans 1/128 of its lower bound;</li>
 *   <li>negative values mirror positive ones: bucket(-v) = -bucket(v); zero is bucket 0.</li>
 * </ul>
 *
 * Buckets sort like the values they hold. A bucket's {@link #representative} is its midpoint, so a
 * percentile read from the histogram is within {@value #MAX_RELATIVE_ERROR_PERCENT}% (1/256) of the
 * exact value, and exact below 128 units in magnitude. At most 7,296 buckets per sign.
 */
public final class ValueHistogram {

    /** Buckets per power of two (and the magnitude below which buckets are exact). */
    public static final int SUB_BUCKETS = 128;

    /** The largest relative error of a percentile read from these buckets, in percent (1/256). */
    public static final double MAX_RELATIVE_ERROR_PERCENT = 100.0 / 256;

    private static final int SUB_BITS = 7;

    private ValueHistogram() {
    }

    /** The bucket of {@code units}; any long but {@link Long#MIN_VALUE}. */
    public static int bucket(long units) {
        if (units == Long.MIN_VALUE) {
            throw new IllegalArgumentException("Long.MIN_VALUE has no bucket");
        }
        long magnitude = Math.abs(units);
        int index = magnitudeIndex(magnitude);
        return units < 0 ? -index : index;
    }

    /** The smallest magnitude in the bucket (inclusive). */
    public static long lowerMagnitude(int bucket) {
        int index = Math.abs(bucket);
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        long sub = index % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << (exponent - SUB_BITS);
    }

    /** The number of magnitudes in the bucket. */
    public static long width(int bucket) {
        int index = Math.abs(bucket);
        return index < SUB_BUCKETS ? 1 : 1L << (index / SUB_BUCKETS - 1);
    }

    /** The value a percentile falling in the bucket reports: the bucket's midpoint, signed. */
    public static long representative(int bucket) {
        long magnitude = lowerMagnitude(bucket) + (width(bucket) - 1) / 2;
        return bucket < 0 ? -magnitude : magnitude;
    }

    /**
     * The {@code q}-quantile (nearest rank: the value at rank ceil(q·n) of the sorted values) of the
     * values counted in {@code counts} (bucket → count), as the bucket's representative.
     */
    public static long quantile(NavigableMap<Integer, Long> counts, double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be within [0, 1], was " + q);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            throw new IllegalArgumentException("no values counted");
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return representative(bucket.getKey());
            }
        }
        return representative(counts.lastKey());
    }

    private static int magnitudeIndex(long magnitude) {
        if (magnitude < SUB_BUCKETS) {
            return (int) magnitude;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(magnitude);
        int sub = (int) (magnitude >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }
}
