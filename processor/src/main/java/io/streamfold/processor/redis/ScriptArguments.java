package io.streamfold.processor.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A script's arguments, written onto one reusable buffer as the RESP bulk strings they go over the wire as, the
 * moment they are added. Lettuce's own {@link CommandArgs} keeps an object per argument in a list that grows from
 * ten entries, and encodes each String and each length's digits into a new array: for a commit of several hundred
 * arguments that was most of what the processor allocated. Here a command is one array, its snapshot
 * ({@link #command}), taken from two spares where one is large enough: a command's array goes back to them once Redis
 * replied to it ({@link #recycle}), when it has certainly been written and will not be sent again. Not thread-safe but
 * for {@link #recycle}: one per user, cleared for each command.
 */
public final class ScriptArguments {

    private byte[] buffer;
    private int length;
    private int count;
    private final byte[] digits = new byte[20];
    private final byte[] lengthDigits = new byte[20];
    private byte[] list = new byte[256];
    private int listLength;
    /** The sha and keys that go before the arguments, written anew for each command. */
    private ScriptArguments head;
    /** Arrays of commands Redis replied to, for the next commands; given back from the client's I/O thread. */
    private final AtomicReferenceArray<byte[]> spares = new AtomicReferenceArray<>(2);

    public ScriptArguments() {
        this(1024);
    }

    public ScriptArguments(int initialBytes) {
        buffer = new byte[initialBytes];
    }

    public ScriptArguments clear() {
        length = 0;
        count = 0;
        return this;
    }

    /** {@code text} as UTF-8. */
    public ScriptArguments add(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                return add(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        header(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        return trailer();
    }

    public ScriptArguments add(byte[] bytes) {
        return add(bytes, 0, bytes.length);
    }

    /** {@code source[offset, offset + bytes)} as they are. */
    public ScriptArguments add(byte[] source, int offset, int bytes) {
        header(bytes);
        System.arraycopy(source, offset, buffer, length, bytes);
        length += bytes;
        return trailer();
    }

    /** {@code value} in decimal. */
    public ScriptArguments add(long value) {
        int n = decimal(value);
        header(n);
        System.arraycopy(digits, digits.length - n, buffer, length, n);
        length += n;
        return trailer();
    }

    /** Starts one argument made of numbers separated by single spaces ({@link #addToList}, then {@link #endList}). */
    public ScriptArguments startList() {
        listLength = 0;
        return this;
    }

    public ScriptArguments addToList(long value) {
        int n = decimal(value);
        if (list.length - listLength < n + 1) {
            list = Arrays.copyOf(list, Math.max(list.length * 2, listLength + n + 1));
        }
        if (listLength > 0) {
            list[listLength++] = ' ';
        }
        System.arraycopy(digits, digits.length - n, list, listLength, n);
        listLength += n;
        return this;
    }

    public ScriptArguments endList() {
        header(listLength);
        System.arraycopy(list, 0, buffer, length, listLength);
        length += listLength;
        return trailer();
    }

    /**
     * {@code EVALSHA sha numkeys keys... arguments...} as Lettuce dispatches it: a copy, so this builder may be cleared
     * and refilled while the command waits to be written, or is sent again.
     */
    CommandArgs<String, String> command(String sha, String[] keys) {
        if (head == null) {
            head = new ScriptArguments(256);
        }
        head.clear().add(sha).add(keys.length);
        for (String key : keys) {
            head.add(key);
        }
        int bytes = head.length + length;
        byte[] wire = spare(bytes);
        System.arraycopy(head.buffer, 0, wire, 0, head.length);
        System.arraycopy(buffer, 0, wire, head.length, length);
        return new Encoded(this, wire, bytes, head.count + count);
    }

    /**
     * Gives back the array of a command made by {@link #command}, once Redis replied to it: never for a command that
     * failed, timed out or was cancelled, which may still be written or sent again. Safe from any thread.
     */
    void recycle(CommandArgs<String, String> command) {
        if (command instanceof Encoded encoded && encoded.owner == this) {
            for (int i = 0; i < spares.length(); i++) {
                if (spares.compareAndSet(i, null, encoded.wire)) {
                    return;
                }
            }
        }
    }

    /** A spare array of at least {@code bytes}, or a new one (room to grow) when none is large enough. */
    private byte[] spare(int bytes) {
        for (int i = 0; i < spares.length(); i++) {
            byte[] spare = spares.get(i);
            if (spare != null && spare.length >= bytes && spares.compareAndSet(i, spare, null)) {
                return spare;
            }
        }
        return new byte[bytes + (bytes >> 2)];
    }

    /** The digits of {@code value} at the end of {@link #digits}; returns how many. */
    private int decimal(long value) {
        return decimal(value, digits);
    }

    private static int decimal(long value, byte[] digits) {
        int at = digits.length;
        long rest = value < 0 ? value : -value; // digits taken from a negative number: Long.MIN_VALUE has no opposite
        do {
            digits[--at] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            digits[--at] = '-';
        }
        return digits.length - at;
    }

    private void header(int bytes) {
        int needed = length + bytes + 32;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, needed));
        }
        buffer[length++] = '$';
        int n = decimal(bytes, lengthDigits);
        System.arraycopy(lengthDigits, lengthDigits.length - n, buffer, length, n);
        length += n;
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }

    private ScriptArguments trailer() {
        buffer[length++] = '\r';
        buffer[length++] = '\n';
        count++;
        return this;
    }

    /** Arguments already encoded: Lettuce writes the command's header, then these bytes as they are. */
    private static final class Encoded extends CommandArgs<String, String> {

        private final ScriptArguments owner;
        private final byte[] wire;
        private final int bytes;
        private final int count;

        Encoded(ScriptArguments owner, byte[] wire, int bytes, int count) {
            super(StringCodec.UTF8);
            this.owner = owner;
            this.wire = wire;
            this.bytes = bytes;
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public void encode(ByteBuf buf) {
            buf.writeBytes(wire, 0, bytes);
        }

        @Override
        public String toCommandString() {
            return count + " arguments, " + bytes + " bytes";
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + " [" + toCommandString() + "]";
        }
    }
}
