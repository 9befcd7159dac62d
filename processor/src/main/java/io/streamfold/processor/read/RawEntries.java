package io.streamfold.processor.read;

import io.streamfold.contract.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream entries as they came off the wire: each entry's id, and its fields as byte ranges of one
 * arena, with the schema's fields found by name as they arrive. Filled by the reply decoder (on the
 * client's I/O thread), read by the consume loop once the read completed; reused across reads, so
 * a steady stream of batches allocates nothing per entry. The ids are kept as their ASCII bytes, back to back.
 */
public final class RawEntries {

    /** No such field in the entry. */
    public static final int ABSENT = -1;

    private final byte[][] names;
    private final int slots;
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private byte[] idBytes = new byte[1 << 12];
    private int[] idEnd = new int[256];
    private boolean[] deleted = new boolean[256];
    private int[] firstField = new int[256];
    private int[] fieldCount = new int[256];
    private int[] slotField;
    private int size;
    private int[] nameOffset = new int[2048];
    private int[] nameLength = new int[2048];
    private int[] valueOffset = new int[2048];
    private int[] valueLength = new int[2048];
    private int fields;
    private int pendingSlot;
    private final int[] slotAtPosition = new int[32];

    /** @param fieldNames the field names to find in each entry; {@link #field(int, int)} takes their index */
    public RawEntries(List<String> fieldNames) {
        this.slots = fieldNames.size();
        this.names = new byte[slots][];
        for (int s = 0; s < slots; s++) {
            names[s] = fieldNames.get(s).getBytes(StandardCharsets.UTF_8);
        }
        slotField = new int[256 * Math.max(1, slots)];
        Arrays.fill(slotAtPosition, ABSENT);
    }

    public void clear() {
        size = 0;
        fields = 0;
        arenaUsed = 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The entry's id, decoded (a new String: for the paths that need one, not for every entry). */
    public String id(int entry) {
        return new String(idBytes, idOffset(entry), idLength(entry), StandardCharsets.ISO_8859_1);
    }

    public String firstId() {
        return id(0);
    }

    public String lastId() {
        return id(size - 1);
    }

    /** The array that holds every entry's id as ASCII, the entry's at {@link #idOffset}: read in place, no copy made. */
    public byte[] idStorage() {
        return idBytes;
    }

    public int idOffset(int entry) {
        return entry == 0 ? 0 : idEnd[entry - 1];
    }

    public int idLength(int entry) {
        return idEnd[entry] - idOffset(entry);
    }

    /** Whether the entry was deleted from the stream after it was delivered (it has no fields). */
    public boolean deleted(int entry) {
        return deleted[entry];
    }

    /** The index of the entry's field named {@code names[slot]}, or {@link #ABSENT}. */
    public int field(int entry, int slot) {
        return slotField[entry * slots + slot];
    }

    public byte[] arena() {
        return arena;
    }

    public int valueOffset(int field) {
        return valueOffset[field];
    }

    /** The value's length in bytes; -1 for a nil value. */
    public int valueLength(int field) {
        return valueLength[field];
    }

    /**
     * Which of the entry's field names and values is not well-formed UTF-8, for a message ({@code field 'product'}, or
     * {@code a field name}), or null when all are. One pass over the entry's bytes, which lie back to back in the
     * arena, and a look at the first byte of each name and value (one that continues a sequence would mean a sequence
     * split between two of them); each field on its own only when that finds something.
     */
    public String notUtf8(int entry) {
        int count = fieldCount[entry];
        if (count == 0) {
            return null;
        }
        int first = firstField[entry];
        int last = first + count - 1;
        int from = nameOffset[first];
        int to = valueLength[last] < 0 ? nameOffset[last] + nameLength[last] : valueOffset[last] + valueLength[last];
        if (Utf8.isValid(arena, from, to - from)) {
            boolean split = false;
            for (int f = first; f <= last && !split; f++) {
                split = continues(nameOffset[f], nameLength[f]) || continues(valueOffset[f], valueLength[f]);
            }
            if (!split) {
                return null;
            }
        }
        for (int f = first; f <= last; f++) {
            if (!Utf8.isValid(arena, nameOffset[f], nameLength[f])) {
                return "a field name";
            }
            if (valueLength[f] > 0 && !Utf8.isValid(arena, valueOffset[f], valueLength[f])) {
                return "field '" + text(nameOffset[f], nameLength[f]) + "'";
            }
        }
        return null;
    }

    /** Whether the bytes at {@code offset} begin with a continuation byte (10xxxxxx). */
    private boolean continues(int offset, int length) {
        return length > 0 && (arena[offset] & 0xC0) == 0x80;
    }

    /** The entry's fields, decoded, in their order (for dead letters and the full parser). */
    public Map<String, String> fieldMap(int entry) {
        Map<String, String> map = new LinkedHashMap<>(fieldCount[entry] * 2);
        for (int f = firstField[entry], end = f + fieldCount[entry]; f < end; f++) {
            map.put(text(nameOffset[f], nameLength[f]), valueLength[f] < 0 ? null : text(valueOffset[f], valueLength[f]));
        }
        return map;
    }

    // Filling, by the decoder or from decoded messages.

    /** Starts an entry with the id in {@code id}'s remaining bytes (ASCII digits and a dash), left unconsumed. */
    void startEntry(ByteBuffer id) {
        if (size == idEnd.length) {
            int capacity = size * 2;
            idEnd = Arrays.copyOf(idEnd, capacity);
            deleted = Arrays.copyOf(deleted, capacity);
            firstField = Arrays.copyOf(firstField, capacity);
            fieldCount = Arrays.copyOf(fieldCount, capacity);
            slotField = Arrays.copyOf(slotField, capacity * slots);
        }
        int from = idOffset(size);
        int length = id.remaining();
        if (idBytes.length - from < length) {
            idBytes = Arrays.copyOf(idBytes, Math.max(idBytes.length * 2, from + length));
        }
        id.get(id.position(), idBytes, from, length);
        idEnd[size] = from + length;
        deleted[size] = false;
        firstField[size] = fields;
        fieldCount[size] = 0;
        Arrays.fill(slotField, size * slots, size * slots + slots, ABSENT);
        size++;
    }

    void markDeleted() {
        deleted[size - 1] = true;
    }

    void name(ByteBuffer bytes) {
        if (fields == nameOffset.length) {
            int capacity = fields * 2;
            nameOffset = Arrays.copyOf(nameOffset, capacity);
            nameLength = Arrays.copyOf(nameLength, capacity);
            valueOffset = Arrays.copyOf(valueOffset, capacity);
            valueLength = Arrays.copyOf(valueLength, capacity);
        }
        int length = bytes == null ? 0 : bytes.remaining();
        nameOffset[fields] = append(bytes);
        nameLength[fields] = length;
        pendingSlot = slotOf(nameOffset[fields], length, fieldCount[size - 1]);
    }

    void value(ByteBuffer bytes) {
        valueLength[fields] = bytes == null ? -1 : bytes.remaining();
        valueOffset[fields] = append(bytes);
        int entry = size - 1;
        if (pendingSlot != ABSENT) {
            slotField[entry * slots + pendingSlot] = fields; // a repeated name: the last value wins, as in a map
        }
        fields++;
        fieldCount[entry]++;
    }

    /** Adds a message decoded elsewhere (XAUTOCLAIM); a null or empty body marks it deleted. */
    public void add(String id, Map<String, String> body) {
        startEntry(ByteBuffer.wrap(id.getBytes(StandardCharsets.US_ASCII)));
        if (body == null || body.isEmpty()) {
            markDeleted();
            return;
        }
        body.forEach((name, value) -> {
            name(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)));
            value(value == null ? null : ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        });
    }

    private int append(ByteBuffer bytes) {
        int offset = arenaUsed;
        if (bytes == null) {
            return offset;
        }
        int length = bytes.remaining();
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
        }
        bytes.get(bytes.position(), arena, arenaUsed, length);
        arenaUsed += length;
        return offset;
    }

    /** The slot of the name at {@code position} in its entry: first the slot found there last time (producers keep an order). */
    private int slotOf(int offset, int length, int position) {
        if (position < slotAtPosition.length) {
            int guess = slotAtPosition[position];
            if (guess != ABSENT && matches(guess, offset, length)) {
                return guess;
            }
        }
        for (int s = 0; s < slots; s++) {
            if (matches(s, offset, length)) {
                if (position < slotAtPosition.length) {
                    slotAtPosition[position] = s;
                }
                return s;
            }
        }
        return ABSENT;
    }

    private boolean matches(int slot, int offset, int length) {
        byte[] name = names[slot];
        return name.length == length && Arrays.equals(name, 0, length, arena, offset, offset + length);
    }

    private String text(int offset, int length) {
        return new String(arena, offset, length, StandardCharsets.UTF_8);
    }
}
