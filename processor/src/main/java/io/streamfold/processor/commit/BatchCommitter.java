package io.streamfold.processor.commit;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.KeyLayout;
import io.streamfold.processor.aggregation.BatchDelta;
import io.streamfold.processor.redis.LuaScript;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits a {@link Batch} in one round trip: one EVALSHA of {@code commit.lua} applies the deltas,
 * writes the dead letters and acknowledges every entry, or does nothing when the batch id is in the
 * ledger already. Not thread-safe: one per consume loop.
 */
public final class BatchCommitter {

    private final LuaScript script = LuaScript.of(BatchCommitter.class, "commit.lua");

    private final RedisCommands<String, String> redis;
    private final KeyLayout keys;
    private final String consumer;
    private final String[] scriptKeys;
    private final String ledgerTtlSeconds;
    private final String deadLetterMaxLength;
    private final Clock clock;
    private final List<String> args = new ArrayList<>();
    private final StringBuilder packed = new StringBuilder(1 << 16);

    public BatchCommitter(RedisCommands<String, String> redis, KeyLayout keys, List<String> dimensions,
            String consumer, Duration ledgerTtl, long deadLetterMaxLength, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.consumer = consumer;
        this.ledgerTtlSeconds = String.valueOf(Math.max(1, ledgerTtl.toSeconds()));
        this.deadLetterMaxLength = String.valueOf(deadLetterMaxLength);
        this.clock = clock;
        this.scriptKeys = new String[4 + 2 * dimensions.size()];
        scriptKeys[0] = keys.stream();
        scriptKeys[2] = keys.deadLetters();
        scriptKeys[3] = keys.totals();
        for (int d = 0; d < dimensions.size(); d++) {
            scriptKeys[4 + 2 * d] = keys.countsBy(dimensions.get(d));
            scriptKeys[5 + 2 * d] = keys.sumsBy(dimensions.get(d));
        }
    }

    /** Commits the batch; safe to call again with the same batch after an error or timeout. */
    public Result commit(Batch batch) {
        String ids = packedIds(batch);
        scriptKeys[1] = keys.batch(BatchId.of(keys.group(), consumer, ids));
        String[] argv = arguments(batch, ids);
        List<Object> reply = script.run(redis, ScriptOutputType.MULTI, scriptKeys, argv);
        long code = (Long) reply.get(0);
        if (code == 1L) {
            return new Result(Outcome.APPLIED, List.of());
        }
        if (code == 0L) {
            return new Result(Outcome.DUPLICATE, List.of());
        }
        List<String> owned = new ArrayList<>(reply.size() - 1);
        for (Object id : reply.subList(1, reply.size())) {
            owned.add((String) id);
        }
        return new Result(Outcome.NOT_ALL_OWNED, owned);
    }

    /** The batch's entry ids separated by single spaces: one script argument. */
    private String packedIds(Batch batch) {
        packed.setLength(0);
        for (String id : batch.entryIds()) {
            if (!packed.isEmpty()) {
                packed.append(' ');
            }
            packed.append(id);
        }
        return packed.toString();
    }

    private String[] arguments(Batch batch, String ids) {
        args.clear();
        args.add(keys.group());
        args.add(ledgerTtlSeconds);
        args.add(consumer);
        args.add(String.valueOf(clock.millis()));
        args.add(deadLetterMaxLength);
        args.add(ids);
        BatchDelta delta = batch.delta();
        args.add(String.valueOf(delta.count()));
        args.add(String.valueOf(delta.sum()));
        for (int d = 0; d < delta.dimensions(); d++) {
            int cells = delta.cells(d);
            args.add(String.valueOf(cells));
            for (int k = 0; k < cells; k++) {
                args.add(delta.value(d, k));
                args.add(String.valueOf(delta.count(d, k)));
                args.add(String.valueOf(delta.sum(d, k)));
            }
        }
        args.add(String.valueOf(batch.deadLetters().size()));
        for (Batch.DeadLetter letter : batch.deadLetters()) {
            args.add(letter.entryId());
            args.add(letter.reason());
            args.add(letter.detail());
            args.add(String.valueOf(letter.deliveries()));
            args.add(String.valueOf(letter.fields().size() * 2));
            letter.fields().forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
        }
        return args.toArray(String[]::new);
    }

    /**
     * What a commit did.
     *
     * @param outcome  what happened
     * @param ownedIds for {@link Outcome#NOT_ALL_OWNED}: the entries still pending for this consumer
     */
    public record Result(Outcome outcome, List<String> ownedIds) {
    }

    /** The kinds of commit result. */
    public enum Outcome {
        /** Deltas applied and entries acknowledged. */
        APPLIED,
        /** The batch id was in the ledger: an earlier attempt had committed it; nothing changed. */
        DUPLICATE,
        /**
         * Some entries are no longer pending for this consumer (reclaimed by another, or the group
         * was recreated); nothing changed. Commit just the owned ones.
         */
        NOT_ALL_OWNED
    }
}
