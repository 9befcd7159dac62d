package io.streamfold.processor.commit;

import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.SessionSummary;
import io.streamfold.processor.aggregation.BatchDelta;
import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.SessionDelta;
import io.streamfold.processor.aggregation.UniqueUsers;
import io.streamfold.processor.redis.LuaScript;
import io.streamfold.processor.redis.ScriptArguments;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Commits a {@link Batch} in one round trip: one EVALSHA of {@code commit.lua} applies the deltas,
 * writes the dead letters and acknowledges every entry, or does nothing when the batch id is in the
 * ledger already. Not thread-safe: one per consume loop.
 */
public final class BatchCommitter {

    /**
     * How long, beyond the latest event time accepted, a build that wrote every cell to both its minute and all time
     * may go on committing while the fleet is being replaced: a store it wrote keeps the minutes up to then unsettled.
     */
    private static final Duration UPGRADE_WINDOW = Duration.ofMinutes(15);

    /** The most fields a dead letter carries as fields of its own (see {@link #addDeadLetters}). */
    static final int DEAD_LETTER_FIELDS = 500;

    /** The dead-letter field that holds the fields of an entry wider than {@value #DEAD_LETTER_FIELDS}, as JSON. */
    static final String WIDE_ENTRY_FIELDS = "dlq_fields";

    private final LuaScript script = LuaScript.of(BatchCommitter.class, "commit.lua");

    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;
    private final List<String> dimensions;
    private final String consumer;
    private final String deadLetterMaxLength;
    private final String retentionSeconds;
    private final String settleFromMinutes;
    private final String sessionGapSeconds;
    private final String maxValuesPerDimension;
    private final boolean sessions;
    private final Clock clock;
    private final ScriptArguments args = new ScriptArguments(1 << 16);
    private final byte[] summary = new byte[SessionSummary.BYTES];
    private int[] batchValues = new int[64];
    private int[][] valueIndex;
    private int[][] valueBatch;
    private int batchNumber;

    public BatchCommitter(RedisCommands<String, String> redis, KeyLayout keys, List<String> dimensions,
            String consumer, Settings settings, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.dimensions = List.copyOf(dimensions);
        this.consumer = consumer;
        this.deadLetterMaxLength = String.valueOf(settings.deadLetterMaxLength());
        this.retentionSeconds = String.valueOf(settings.retention().toSeconds());
        this.settleFromMinutes = String.valueOf(settings.maxFutureSkew().plus(UPGRADE_WINDOW).plusSeconds(59).toMinutes());
        this.sessionGapSeconds = String.valueOf(Math.max(1, settings.sessionGap().toSeconds()));
        this.maxValuesPerDimension = String.valueOf(settings.maxValuesPerDimension());
        this.sessions = settings.sessions();
        this.clock = clock;
        this.valueIndex = new int[dimensions.size()][64];
        this.valueBatch = new int[dimensions.size()][64];
    }

    /** Whether session summaries are written (batches need not track them otherwise). */
    public boolean writesSessions() {
        return sessions;
    }

    /** Commits the batch; safe to call again with the same batch after an error or timeout. */
    public Result commit(Batch batch) {
        return send(batch).await();
    }

    /**
     * Sends the batch's commit and returns without waiting for Redis, so the caller can prepare the next
     * batch meanwhile. The arguments are encoded here: the batch may change once this returns.
     */
    public Commit send(Batch batch) {
        String batchId = BatchId.of(keys.group(), consumer, batch.entryIds(), batch.entryIdsLength());
        String[] commitKeys = {keys.stream(), keys.ledger(), keys.deadLetters(), keys.usersBeingMerged()};
        return new Commit(script.start(redis, commitKeys, arguments(batch, batchId)));
    }

    /** A commit sent, its outcome not yet known. */
    public final class Commit {

        private final LuaScript.Call call;

        private Commit(LuaScript.Call call) {
            this.call = call;
        }

        /** Waits (at most the connection's command timeout) for the outcome. */
        public Result await() {
            return result(call.await());
        }

        /** From sending the commit to its reply, once {@link #await()} returned. */
        public long roundTripNanos() {
            return call.repliedNanos() - call.sentNanos();
        }

        /** How long ago the reply arrived, once {@link #await()} returned. */
        public long repliedNanosAgo() {
            return System.nanoTime() - call.repliedNanos();
        }
    }

    private Result result(List<Object> reply) {
        long code = (Long) reply.get(0);
        if (code == 1L) {
            List<Long> folded = new ArrayList<>(dimensions.size());
            for (int d = 0; d < dimensions.size(); d++) {
                folded.add((Long) reply.get(1 + d));
            }
            String settleRefusal = reply.size() > 1 + dimensions.size() ? (String) reply.get(1 + dimensions.size()) : null;
            return new Result(Outcome.APPLIED, List.of(), folded, settleRefusal);
        }
        if (code == 0L) {
            return new Result(Outcome.DUPLICATE, List.of(), List.of(), null);
        }
        List<String> owned = new ArrayList<>(reply.size() - 1);
        for (Object id : reply.subList(1, reply.size())) {
            owned.add((String) id);
        }
        return new Result(Outcome.NOT_ALL_OWNED, owned, List.of(), null);
    }

    /** The script's arguments (see the top of {@code commit.lua}), written into {@link #args}. */
    private ScriptArguments arguments(Batch batch, String batchId) {
        args.clear();
        args.add(keys.group());
        args.add(batchId);
        args.add(consumer);
        args.add(clock.millis());
        args.add(deadLetterMaxLength);
        args.add(batch.entryIds(), 0, batch.entryIdsLength());
        args.add(retentionSeconds);
        args.add(sessionGapSeconds);
        args.add(maxValuesPerDimension);
        args.add(settleFromMinutes);
        BatchDelta delta = batch.delta();
        addSessions(delta.sessionDelta());
        addValueTables(delta);
        addCells(delta.cells());
        addUniqueUsers(delta.uniqueUsers());
        addDeadLetters(batch.deadLetters());
        return args;
    }

    /** Per dimension: its name and the values the batch touched, each once (in any number of minutes), numbered from 1. */
    private void addValueTables(BatchDelta delta) {
        CellDelta cells = delta.cells();
        batchNumber++;
        args.add(dimensions.size());
        for (int d = 0; d < dimensions.size(); d++) {
            int n = 0;
            for (int c = 0; c < cells.size(); c++) {
                if (cells.dimension(c) != d) {
                    continue;
                }
                int id = cells.value(c);
                if (id >= valueIndex[d].length) {
                    int length = Math.max(id + 1, valueIndex[d].length * 2);
                    valueIndex[d] = Arrays.copyOf(valueIndex[d], length);
                    valueBatch[d] = Arrays.copyOf(valueBatch[d], length);
                }
                if (valueBatch[d][id] != batchNumber) {
                    valueBatch[d][id] = batchNumber;
                    valueIndex[d][id] = n + 1;
                    if (n == batchValues.length) {
                        batchValues = Arrays.copyOf(batchValues, n * 2);
                    }
                    batchValues[n++] = id;
                }
            }
            args.add(dimensions.get(d)).add(n);
            for (int k = 0; k < n; k++) {
                args.add(delta.dictionary(d).value(batchValues[k]));
            }
        }
    }

    /**
     * The cells, grand totals first: a minute bin is a compact hash searched from its first field, and its
     * totals are what dashboards read most (the series of all events), so they go in first.
     */
    private void addCells(CellDelta cells) {
        args.add(cells.size());
        for (int c = 0; c < cells.size(); c++) {
            if (cells.dimension(c) == CellDelta.TOTAL) {
                addCell(cells, c);
            }
        }
        for (int c = 0; c < cells.size(); c++) {
            if (cells.dimension(c) != CellDelta.TOTAL) {
                addCell(cells, c);
            }
        }
    }

    private void addCell(CellDelta cells, int c) {
        int d = cells.dimension(c);
        args.add(cells.bin(c)).add(d).add(d == CellDelta.TOTAL ? 0 : valueIndex[d][cells.value(c)]);
        args.add(cells.count(c)).add(cells.sum(c)).add(cells.min(c)).add(cells.max(c));
        args.startList();
        for (int e = cells.bucketsFrom(c); e < cells.bucketsTo(c); e++) {
            args.addToList(cells.bucket(e)).addToList(cells.bucketCount(e));
        }
        args.endList();
    }

    /** Per hour its users: their ids while few, else their sketch (see {@link UniqueUsers}). */
    private void addUniqueUsers(UniqueUsers users) {
        args.add(users.size());
        for (int i = 0; i < users.size(); i++) {
            args.add(users.hour(i));
            int listed = users.listedCount(i);
            if (listed >= 0) {
                args.add("ids").add(listed);
                byte[] storage = users.listedStorage(i);
                for (int k = 0; k < listed; k++) {
                    int start = users.listedStart(i, k);
                    args.add(storage, start, users.listedEnd(i, k) - start);
                }
            } else {
                args.add("registers").add(users.users(i).dense());
            }
        }
    }

    private void addSessions(SessionDelta delta) {
        if (!sessions) {
            args.add(0);
            return;
        }
        args.add(delta.size());
        for (int s = 0; s < delta.size(); s++) {
            args.add(delta.idStorage(), delta.idOffset(s), delta.idLength(s));
            SessionSummary.encode(delta.events(s), delta.sum(s), delta.first(s), delta.last(s), summary);
            args.add(summary);
        }
    }

    /**
     * Per dead letter its entry's fields, as fields of the dead letter; those of an entry with more than {@value
     * #DEAD_LETTER_FIELDS} fields as one field, {@value #WIDE_ENTRY_FIELDS}, holding them all as a JSON object (one
     * XADD takes what the script can pass it, below Lua's limit of about 8,000 values).
     */
    private void addDeadLetters(List<Batch.DeadLetter> deadLetters) {
        args.add(deadLetters.size());
        for (Batch.DeadLetter letter : deadLetters) {
            args.add(letter.entryId()).add(letter.reason()).add(letter.detail()).add(letter.deliveries());
            if (letter.fields().size() <= DEAD_LETTER_FIELDS) {
                args.add(letter.fields().size() * 2L);
                letter.fields().forEach((name, value) -> args.add(name).add(value));
            } else {
                args.add(2).add(WIDE_ENTRY_FIELDS).add(json(letter.fields()));
            }
        }
    }

    /** The fields as a JSON object, in their order. */
    static String json(Map<String, String> fields) {
        StringBuilder json = new StringBuilder(fields.size() * 16).append('{');
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(name, json).append(':');
            quote(value, json);
        });
        return json.append('}').toString();
    }

    private static StringBuilder quote(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /**
     * The committer's settings.
     *
     * @param deadLetterMaxLength   approximate cap of the dead-letter stream (XADD MAXLEN ~)
     * @param retention             how long minute bins and unique-user counts are kept
     * @param maxFutureSkew         how far ahead of the processors' clocks an event time may lie
     * @param sessions              whether session summaries are written
     * @param sessionGap            inactivity after which a session's summary expires
     * @param maxValuesPerDimension distinct values kept per dimension; later ones fold into {@value KeyLayout#OTHER}
     */
    public record Settings(long deadLetterMaxLength, Duration retention, Duration maxFutureSkew,
            boolean sessions, Duration sessionGap, int maxValuesPerDimension) {
    }

    /**
     * What a commit did.
     *
     * @param outcome  what happened
     * @param ownedIds     for {@link Outcome#NOT_ALL_OWNED}: the entries still pending for this consumer
     * @param foldedEvents for {@link Outcome#APPLIED}: per dimension, the events whose value was beyond the
     *                     dimension's limit and was counted as {@value KeyLayout#OTHER}
     * @param settleRefusal for {@link Outcome#APPLIED}: why a finished minute could not be settled into the all-time
     *                      keys by this commit (a field that is no integer, a sum past 64 bits), else null; the batch
     *                      itself was applied
     */
    public record Result(Outcome outcome, List<String> ownedIds, List<Long> foldedEvents, String settleRefusal) {
    }

    /** The kinds of commit result. */
    public enum Outcome {
        /** Deltas applied and entries acknowledged. */
        APPLIED,
        /** The batch was this consumer's last committed one (ledger): an earlier attempt had committed it; nothing changed. */
        DUPLICATE,
        /**
         * Some entries are no longer pending for this consumer (reclaimed by another, or the group
         * was recreated); nothing changed. Commit just the owned ones.
         */
        NOT_ALL_OWNED
    }
}
