package io.streamfold.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A session as the commit script stores it, one hash field per session: {@value #BYTES} bytes, five
 * little-endian doubles — event count, the value sum's high and low halves ({@code sum = high × 2^32 + low},
 * {@code 0 <= low < 2^32}), first and last event time (epoch ms). Binary, because the script merges one
 * summary per session in every batch: {@code struct.unpack} and {@code struct.pack} cost a fifth of parsing
 * and formatting text in Lua. A double holds every integer up to 2^53 exactly, and the split sum keeps
 * any sum of longs exact (the script carries the low half's overflow into the high one).
 *
 * @param events number of events
 * @param sum    sum of their values, in units
 * @param first  earliest event time, epoch ms
 * @param last   latest event time, epoch ms
 */
public record SessionSummary(long events, long sum, long first, long last) {

    /** Length of the stored form. */
    public static final int BYTES = 5 * Double.BYTES;

    private static final long HALF = 1L << 32;
    private static final double EXACT = 0x1p53;
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** Reads a stored summary; a malformed one is an {@link IllegalArgumentException} saying why. */
    public static SessionSummary decode(byte[] stored) {
        if (stored.length != BYTES) {
            throw new IllegalArgumentException("not a session summary: " + stored.length + " bytes, not " + BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        long events = integer(buffer.getDouble(), "event count");
        long high = integer(buffer.getDouble(), "sum's high half");
        long low = integer(buffer.getDouble(), "sum's low half");
        if (low < 0 || low >= HALF) {
            throw new IllegalArgumentException("not a session summary: the sum's low half " + low + " is outside [0, 2^32)");
        }
        long sum;
        try {
            sum = Math.addExact(Math.multiplyExact(high, HALF), low);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("session sum beyond a long: " + high + " × 2^32 + " + low, e);
        }
        return new SessionSummary(events, sum, integer(buffer.getDouble(), "first time"), integer(buffer.getDouble(), "last time"));
    }

    /** The stored form. */
    public byte[] encode() {
        byte[] stored = new byte[BYTES];
        encode(events, sum, first, last, stored);
        return stored;
    }

    /** Writes the stored form of a summary into {@code target[0, BYTES)}, making no object (the processor's hot path). */
    public static void encode(long events, long sum, long first, long last, byte[] target) {
        DOUBLES.set(target, 0, (double) events);
        DOUBLES.set(target, Double.BYTES, (double) Math.floorDiv(sum, HALF));
        DOUBLES.set(target, 2 * Double.BYTES, (double) Math.floorMod(sum, HALF));
        DOUBLES.set(target, 3 * Double.BYTES, (double) first);
        DOUBLES.set(target, 4 * Double.BYTES, (double) last);
    }

    private static long integer(double stored, String what) {
        if (!(Math.abs(stored) <= EXACT) || stored != Math.rint(stored)) {
            throw new IllegalArgumentException("not a session summary: " + what + " " + stored + " is not an exact integer");
        }
        return (long) stored;
    }
}
