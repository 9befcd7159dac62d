package io.streamfold.processor.aggregation;

import java.util.Arrays;

/**
 * A HyperLogLog with Redis's exact registers: an element sets the same register to the same value as
 * {@code PFADD} would (Redis's MurmurHash64A, seed {@code 0xadc83b19}, 14 index bits), and
 * {@link #dense()} gives Redis's dense encoding. So a batch's users are folded here and the commit
 * hands Redis one 12 KiB value to {@code PFMERGE}, which leaves exactly the registers {@code PFADD}ing
 * each user would have left, whatever the number of users. Reused via {@link #clear()}. Not thread-safe.
 */
public final class HyperLogLog {

    private static final int INDEX_BITS = 14;
    private static final int REGISTERS = 1 << INDEX_BITS;

    /** Bytes of a dense HyperLogLog in Redis: a 16-byte header, then 16,384 registers of 6 bits. */
    public static final int DENSE_BYTES = 16 + REGISTERS * 6 / 8;

    private static final long SEED = 0xadc83b19L;
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private final byte[] registers = new byte[REGISTERS];
    private final byte[] dense = new byte[DENSE_BYTES];

    /** Adds the element {@code bytes[offset, offset + length)}, the bytes Redis would be sent. */
    public void add(byte[] bytes, int offset, int length) {
        long hash = murmurHash64A(bytes, offset, length);
        int index = (int) (hash & (REGISTERS - 1));
        int rank = Long.numberOfTrailingZeros((hash >>> INDEX_BITS) | (1L << (64 - INDEX_BITS))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    /**
     * Redis's dense encoding of the registers ({@value #DENSE_BYTES} bytes): "HYLL", encoding 0, three
     * unused bytes, the cached cardinality marked stale, then the registers packed 6 bits each,
     * little-endian. The array is this object's own, rewritten by every call.
     */
    public byte[] dense() {
        dense[0] = 'H';
        dense[1] = 'Y';
        dense[2] = 'L';
        dense[3] = 'L';
        dense[15] = (byte) 0x80; // most significant bit of the cached cardinality: not valid
        int out = 16;
        for (int r = 0; r < REGISTERS; r += 4) {
            int bits = registers[r] | registers[r + 1] << 6 | registers[r + 2] << 12 | registers[r + 3] << 18;
            dense[out++] = (byte) bits;
            dense[out++] = (byte) (bits >>> 8);
            dense[out++] = (byte) (bits >>> 16);
        }
        return dense;
    }

    public void clear() {
        Arrays.fill(registers, (byte) 0);
    }

    /** Redis's MurmurHash64A (hyperloglog.c): little-endian 8-byte blocks, then the tail. */
    static long murmurHash64A(byte[] data, int offset, int length) {
        long h = SEED ^ (length * M);
        int end = offset + (length & ~7);
        int i = offset;
        for (; i < end; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = length & 7;
        if (tail > 0) {
            for (int t = tail - 1; t >= 0; t--) {
                h ^= (data[i + t] & 0xffL) << (8 * t);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
