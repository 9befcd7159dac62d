package io.streamfold.processor.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dense ids for the distinct values of one dimension, looked up straight from UTF-8 bytes: a known
 * value costs a hash and a byte comparison, no allocation; a new one is copied once, and decoded to a
 * String only when first asked for.
 * Open addressing with linear probing. Not thread-safe.
 */
public final class Dictionary {

    private static final int EMPTY = -1;

    private int[] table = new int[64];
    private int[] hashes = new int[32];
    private int[] offsets = new int[32];
    private int[] lengths = new int[32];
    private String[] values = new String[32];
    private byte[] bytes = new byte[1024];
    private int bytesUsed;
    private int size;

    public Dictionary() {
        Arrays.fill(table, EMPTY);
    }

    /** The id of the value held in {@code source[offset, offset + length)}, added if new. */
    public int idOf(byte[] source, int offset, int length) {
        int hash = hash(source, offset, length);
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int id = table[slot];
            if (id == EMPTY) {
                return add(slot, hash, source, offset, length);
            }
            if (hashes[id] == hash && lengths[id] == length
                    && Arrays.equals(bytes, offsets[id], offsets[id] + length, source, offset, offset + length)) {
                return id;
            }
        }
    }

    /** The id of {@code value}, added if new. */
    public int idOf(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return idOf(utf8, 0, utf8.length);
    }

    public String value(int id) {
        String value = values[id];
        if (value == null) {
            value = new String(bytes, offsets[id], lengths[id], StandardCharsets.UTF_8);
            values[id] = value;
        }
        return value;
    }

    /**
     * The array that holds every value's UTF-8 bytes, value {@code id} at {@link #offset}, {@link #length} bytes long:
     * read it in place, no copy made. Replaced as values are added, so asked for again after {@link #idOf}.
     */
    public byte[] storage() {
        return bytes;
    }

    public int offset(int id) {
        return offsets[id];
    }

    public int length(int id) {
        return lengths[id];
    }

    public int size() {
        return size;
    }

    /** Forgets every value; ids start again from 0. */
    public void clear() {
        Arrays.fill(table, EMPTY);
        Arrays.fill(values, 0, size, null);
        size = 0;
        bytesUsed = 0;
    }

    private int add(int slot, int hash, byte[] source, int offset, int length) {
        if (size == values.length) {
            int capacity = size * 2;
            hashes = Arrays.copyOf(hashes, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        if (bytesUsed + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, bytesUsed + length));
        }
        System.arraycopy(source, offset, bytes, bytesUsed, length);
        int id = size++;
        hashes[id] = hash;
        offsets[id] = bytesUsed;
        lengths[id] = length;
        bytesUsed += length;
        table[slot] = id;
        if (size * 2 > table.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        table = new int[table.length * 2];
        Arrays.fill(table, EMPTY);
        int mask = table.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = hashes[id] & mask;
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
        }
    }

    private static int hash(byte[] source, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + source[i];
        }
        return h ^ (h >>> 16);
    }
}
