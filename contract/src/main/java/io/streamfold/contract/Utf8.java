package io.streamfold.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether text is well-formed UTF-8, the one encoding the contract accepts: an event's text fields are refused
 * ({@link Rejection.Reason#INVALID_UTF8}) rather than decoded with replacement characters, which would count distinct
 * byte strings as one value. The processors check a stream entry's bytes; the API checks the strings a JSON body
 * decoded to (a lone surrogate, written as a {@code \}{@code u} escape, has no UTF-8 form).
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** Whether {@code bytes[offset, offset + length)} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates). */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i + Long.BYTES <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) { // ASCII, 8 bytes at a time
            i += Long.BYTES;
        }
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int continuation;
            int min;
            int codePoint;
            if (b >= 0xC2 && b <= 0xDF) {
                continuation = 1;
                min = 0x80;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuation = 2;
                min = 0x800;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuation = 3;
                min = 0x10000;
                codePoint = b & 0x07;
            } else {
                return false;
            }
            if (end - i <= continuation) {
                return false;
            }
            for (int k = 1; k <= continuation; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = codePoint << 6 | next & 0x3F;
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += continuation + 1;
        }
        return true;
    }

    /** Whether {@code text} has a UTF-8 form: no surrogate without its pair. */
    public static boolean isEncodable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
