package io.streamfold.processor.read;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.LuaSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads batches for one consumer over a connection of its own: first the entries already pending
 * for it (left by an earlier run of this consumer), then new entries. One XREADGROUP per batch,
 * decoded straight into reusable {@link RawEntries}.
 *
 * <p>While there is a backlog, new entries are read one batch ahead: when a batch arrives full, the
 * read of the next one is sent at once, so Redis serves it while this batch is aggregated and
 * committed on the other connection. A batch that arrives short means the stream is drained: the
 * next read then waits until the loop asks for it, after this batch's commit is sent, so it brings
 * the entries that arrived meanwhile instead of a batch that would wait a whole commit longer
 * before its own; and it is not sent sooner than the read interval after the read before
 * ({@link ReadPacer}). At most one read is outstanding, so at most three batches are in memory
 * (the one whose commit is in flight, the one being aggregated, the one being read); they take turns
 * in three buffers. A buffer whose read failed is replaced, never reused: its late reply could still
 * be decoded into it.
 *
 * <p>The consumer's own pending entries are read by {@code read-pending.lua}, not by XREADGROUP with id 0, which would
 * count one more delivery each time: re-reading them after a restart or a failed read never moves a valid entry
 * toward the dead-letter stream.
 */
public final class BatchReader {

    private static final String READ_PENDING = LuaSource.of(BatchReader.class, "read-pending.lua").text();

    private final RedisAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final String consumer;
    private final int batchSize;
    private final long blockMillis;
    private final long replyTimeoutMillis;
    private final List<String> fieldNames;
    private final ReadPacer pacer;
    private final RawEntries[] buffers = new RawEntries[3];
    private int nextBuffer;
    private Read ahead;
    private boolean drainingPending = true;
    private boolean lastWasRedelivery;

    public BatchReader(RedisAsyncCommands<String, String> redis, KeyLayout keys, String consumer, int batchSize, Duration block,
            Duration commandTimeout, Duration readInterval, List<String> fieldNames) {
        this.redis = redis;
        this.keys = keys;
        this.consumer = consumer;
        this.batchSize = batchSize;
        this.blockMillis = block.toMillis();
        this.replyTimeoutMillis = block.plus(commandTimeout).toMillis();
        this.fieldNames = fieldNames;
        this.pacer = new ReadPacer(readInterval);
        for (int b = 0; b < buffers.length; b++) {
            buffers[b] = new RawEntries(fieldNames);
        }
    }

    /** The next batch; empty when nothing arrived within the block time. Valid for two more calls of next. */
    public RawEntries next() {
        if (drainingPending) {
            // Not read ahead: pending entries stay pending until committed, a second read would return them again.
            RawEntries entries = await(readPending());
            if (!entries.isEmpty()) {
                lastWasRedelivery = true;
                return entries;
            }
            drainingPending = false;
        }
        lastWasRedelivery = false;
        Read current = ahead;
        ahead = null;
        if (current == null) {
            pacer.awaitTurn();
            current = readNew();
        }
        RawEntries entries = await(current);
        if (entries.size() == batchSize) {
            ahead = readNew();
        }
        return entries;
    }

    /** Whether the read of the next batch was sent ahead and its reply has arrived: {@link #next()} will not wait. */
    public boolean nextArrived() {
        return !drainingPending && ahead != null && ahead.reply.isDone();
    }

    /** Whether a read of the next batch is outstanding. */
    public boolean readingAhead() {
        return ahead != null;
    }

    /**
     * Stops reading ahead and returns what the outstanding read brought (the consumer owns those
     * entries now, so they should be committed before it stops); null if there was none.
     */
    public RawEntries finish() {
        Read read = ahead;
        ahead = null;
        return read == null ? null : await(read);
    }

    /** Whether the last batch held this consumer's pending entries, delivered before (not new ones). */
    public boolean lastWasRedelivery() {
        return lastWasRedelivery;
    }

    /**
     * Reads this consumer's pending entries again first (after the group was recreated, or a read
     * failed). An outstanding read is dropped: Redis answers it before the next one on this
     * connection, and whatever it delivered is pending for this consumer, so the pending read returns it.
     */
    public void rewind() {
        if (ahead != null) {
            buffers[ahead.buffer] = new RawEntries(fieldNames);
            ahead = null;
        }
        drainingPending = true;
    }

    /** Reads new entries (XREADGROUP {@code >}), waiting up to the block time for them; paced. */
    private Read readNew() {
        pacer.sent();
        return send(CommandType.XREADGROUP, new CommandArgs<>(StringCodec.UTF8).add("GROUP").add(keys.group())
                .add(consumer).add("COUNT").add(batchSize).add("BLOCK").add(blockMillis).add("STREAMS")
                .addKey(keys.stream()).add(">"));
    }

    /** Reads this consumer's pending entries, counting no delivery ({@code read-pending.lua}; EVAL: a rare read). */
    private Read readPending() {
        return send(CommandType.EVAL, new CommandArgs<>(StringCodec.UTF8).add(READ_PENDING).add(1).addKey(keys.stream())
                .add(keys.group()).add(consumer).add(batchSize));
    }

    private Read send(CommandType type, CommandArgs<String, String> args) {
        int buffer = nextBuffer;
        nextBuffer = (nextBuffer + 1) % buffers.length;
        return new Read(redis.dispatch(type, new RawEntriesOutput(buffers[buffer]), args), buffer);
    }

    private RawEntries await(Read read) {
        try {
            return LettuceFutures.awaitOrCancel(read.reply, replyTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            buffers[read.buffer] = new RawEntries(fieldNames);
            throw e;
        }
    }

    private record Read(RedisFuture<RawEntries> reply, int buffer) {
    }
}
