package io.streamfold.processor.commit;

import java.util.Arrays;

/**
 * Decimal integers, alone or as a space-separated list, written straight into ASCII bytes: the form a
 * script argument takes on the wire. A {@code String} argument would cost the String and then the
 * byte array Lettuce encodes it into; this costs the one array. Reused; not thread-safe.
 */
final class AsciiNumbers {

    private byte[] buffer = new byte[256];
    private int length;

    /** {@code value} in decimal, as a new array. */
    byte[] of(long value) {
        clear();
        return append(value).toBytes();
    }

    AsciiNumbers clear() {
        length = 0;
        return this;
    }

    boolean isEmpty() {
        return length == 0;
    }

    AsciiNumbers append(long value) {
        if (buffer.length - length < 20) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        long rest = value;
        if (rest < 0) {
            buffer[length++] = '-';
        } else {
            rest = -rest; // digits taken from a negative number: Long.MIN_VALUE has no positive counterpart
        }
        int first = length;
        do {
            buffer[length++] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        for (int i = first, j = length - 1; i < j; i++, j--) {
            byte digit = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = digit;
        }
        return this;
    }

    AsciiNumbers space() {
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length++] = ' ';
        return this;
    }

    /** What was written since {@link #clear()}, as a new array. */
    byte[] toBytes() {
        return Arrays.copyOf(buffer, length);
    }
}
