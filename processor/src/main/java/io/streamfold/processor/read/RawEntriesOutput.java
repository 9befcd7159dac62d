package io.streamfold.processor.read;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;

/**
 * Decodes the reply of an XREADGROUP on one stream straight into {@link RawEntries}: no message
 * objects, no maps, no strings. Works for RESP2 and RESP3 replies: the stream's
 * name, then per entry a pair of its id and its flat field list (nil for an entry deleted since
 * it was delivered). A nil reply (nothing arrived within BLOCK) leaves the entries empty.
 */
public final class RawEntriesOutput extends CommandOutput<String, String, RawEntries> {

    private enum Expect { STREAM_NAME, ENTRIES, ENTRY, ID, FIELDS, NAME, VALUE }

    private Expect expect = Expect.STREAM_NAME;
    private int fieldsLeft;

    RawEntriesOutput(RawEntries entries) {
        super(StringCodec.UTF8, entries);
        entries.clear();
    }

    @Override
    public void multi(int count) {
        switch (expect) {
            case ENTRIES -> expect = Expect.ENTRY;
            case ENTRY -> expect = Expect.ID;
            case FIELDS -> fields(count);
            default -> {
                // the outer array or map around the stream: nothing to record
            }
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        switch (expect) {
            case STREAM_NAME -> {
                if (bytes != null) {
                    expect = Expect.ENTRIES;
                }
            }
            case ID -> {
                output.startEntry(bytes);
                expect = Expect.FIELDS;
            }
            case FIELDS -> fields(-1); // RESP3 nil instead of a field list: the entry was deleted
            case NAME -> {
                output.name(bytes);
                expect = Expect.VALUE;
            }
            case VALUE -> {
                output.value(bytes);
                fieldsLeft -= 2;
                expect = fieldsLeft > 0 ? Expect.NAME : Expect.ENTRY;
            }
            default -> throw new IllegalStateException("unexpected bulk string in an XREADGROUP reply while expecting " + expect);
        }
    }

    private void fields(int count) {
        if (count <= 0) {
            output.markDeleted();
            expect = Expect.ENTRY;
        } else {
            fieldsLeft = count;
            expect = Expect.NAME;
        }
    }
}
