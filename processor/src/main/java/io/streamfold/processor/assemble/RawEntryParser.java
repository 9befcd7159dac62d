package io.streamfold.processor.assemble;

import io.streamfold.contract.EventSchema;
import io.streamfold.contract.FixedPoint;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.read.RawEntries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a well-formed raw entry to a batch straight from its bytes: every field present, non-empty
 * and short enough, the value and timestamp parsed by the same code as {@link
 * io.streamfold.contract.EventParser}, dimension values looked up in the batch's dictionaries. No
 * allocation. Anything it is not sure of (a missing field, an encoding field, a bad number, a time
 * outside the schema's window at the clock's time, a long multi-byte value) it declines, and the
 * caller asks the full parser — the one authority on what is valid and on every rejection message.
 */
public final class RawEntryParser {

    private static final int USER_SLOT = 1;
    private static final int SESSION_SLOT = 2;

    private final EventSchema schema;
    private final Clock clock;
    private final FixedPoint fixedPoint;
    private final int[] textSlots;
    private final int[] dimensionSlots;
    private final int valueSlot;
    private final int tsSlot;
    private final int encodingSlot;
    private final int[] dimensionIds;
    private final ByteText text = new ByteText();

    public RawEntryParser(EventSchema schema, Clock clock) {
        this.schema = schema;
        this.clock = clock;
        this.fixedPoint = schema.fixedPoint();
        List<String> names = fieldNames(schema);
        int dimensions = schema.dimensions().size();
        this.textSlots = new int[] {0, 1, 2};
        this.dimensionSlots = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dimensionSlots[d] = 3 + d;
        }
        this.valueSlot = 3 + dimensions;
        this.tsSlot = valueSlot + 1;
        this.encodingSlot = tsSlot + 1;
        this.dimensionIds = new int[dimensions];
        if (names.size() != encodingSlot + 1) {
            throw new IllegalStateException("field slots out of step with the schema");
        }
    }

    /** The names {@link RawEntries} must find in each entry, in the order this reader expects them. */
    public static List<String> fieldNames(EventSchema schema) {
        List<String> names = new ArrayList<>();
        names.add(schema.eventIdField());
        names.add(schema.userField());
        names.add(schema.sessionField());
        names.addAll(schema.dimensions());
        names.add(schema.valueField());
        names.add(schema.tsField());
        names.add(schema.encodingField());
        return names;
    }

    /** Adds the entry to the batch and returns true, or returns false (and adds nothing) when unsure. */
    boolean tryAdd(RawEntries entries, int entry, Batch batch) {
        if (entries.field(entry, encodingSlot) != RawEntries.ABSENT) {
            return false;
        }
        for (int slot : textSlots) {
            if (!plainText(entries, entries.field(entry, slot))) {
                return false;
            }
        }
        for (int d = 0; d < dimensionSlots.length; d++) {
            int field = entries.field(entry, dimensionSlots[d]);
            if (!plainText(entries, field)) {
                return false;
            }
            dimensionIds[d] = batch.delta().dictionary(d).idOf(entries.arena(), entries.valueOffset(field),
                    entries.valueLength(field));
        }
        int valueField = entries.field(entry, valueSlot);
        int tsField = entries.field(entry, tsSlot);
        if (!plainText(entries, valueField) || !plainText(entries, tsField)) {
            return false;
        }
        long value;
        long ts;
        try {
            value = fixedPoint.parse(text.of(entries, valueField), schema.maxAbsValue());
            ByteText tsText = text.of(entries, tsField);
            ts = Long.parseLong(tsText, 0, tsText.length(), 10);
        } catch (FixedPoint.Invalid | NumberFormatException declined) {
            return false;
        }
        if (!schema.accepts(ts, clock.millis())) {
            return false;
        }
        int user = entries.field(entry, USER_SLOT);
        int session = entries.field(entry, SESSION_SLOT);
        batch.addEvent(dimensionIds, entries.arena(), entries.valueOffset(user), entries.valueLength(user),
                entries.valueOffset(session), entries.valueLength(session), value, ts);
        return true;
    }

    /** Present, not empty, and no longer in bytes than the limit in characters (so surely within it). */
    private boolean plainText(RawEntries entries, int field) {
        if (field == RawEntries.ABSENT) {
            return false;
        }
        int length = entries.valueLength(field);
        return length > 0 && length <= schema.maxFieldLength();
    }

    /**
     * A field value's bytes seen as characters, byte for byte: exact for ASCII, and any other byte
     * becomes a character no number parser accepts, so a non-ASCII number is declined, never misread.
     */
    private static final class ByteText implements CharSequence {

        private byte[] bytes;
        private int offset;
        private int length;

        ByteText of(RawEntries entries, int field) {
            this.bytes = entries.arena();
            this.offset = entries.valueOffset(field);
            this.length = entries.valueLength(field);
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            byte b = bytes[offset + index];
            return b >= 0 ? (char) b : '\uFFFD';
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
    }
}
