package io.streamfold.processor.consume;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.Optional;
import java.util.Set;

/**
 * Whether Redis is refusing the loop's commit: it answered the commit script with an error (a field that is no integer,
 * a sum past 64 bits, a key of another type, a permission the processor's user lacks) that retrying alone will not
 * mend. Nothing of the batch was applied, its entries stay with this consumer and the commit is retried until it
 * succeeds; meanwhile the loop makes no progress, which the readiness check, a gauge and an alert show. Written by the
 * loop's thread, read by any.
 */
public final class CommitRefusal {

    /** Errors of a Redis that is busy, loading or failing over: unavailable for now, not refusing. */
    private static final Set<String> UNAVAILABLE = Set.of("BUSY", "LOADING", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN",
            "READONLY");

    private static final long LOG_EVERY_MILLIS = 60_000;

    private volatile Refused current;
    private long loggedMillis;

    /** The refusal the loop is retrying now, if any. */
    public Optional<Refused> current() {
        return Optional.ofNullable(current);
    }

    /** Whether {@code failure} is Redis refusing the commit (as opposed to a timeout, a lost connection, a busy server). */
    static boolean isRefusal(RuntimeException failure) {
        if (!(failure instanceof RedisCommandExecutionException) || failure.getMessage() == null) {
            return false;
        }
        String message = failure.getMessage();
        int space = message.indexOf(' ');
        return !UNAVAILABLE.contains(space < 0 ? message : message.substring(0, space));
    }

    /**
     * A commit of {@code entries} entries was refused for {@code reason} at {@code nowMillis}. Returns whether to say
     * so in the log: a new refusal or reason, or a minute since it was last said.
     */
    boolean refused(String reason, int entries, long nowMillis) {
        Refused before = current;
        boolean say = before == null || !before.reason().equals(reason) || nowMillis - loggedMillis >= LOG_EVERY_MILLIS;
        current = new Refused(reason, entries, before == null ? nowMillis : before.sinceMillis());
        if (say) {
            loggedMillis = nowMillis;
        }
        return say;
    }

    /** The commit went through (or was given up on shutdown). */
    void cleared() {
        current = null;
    }

    /**
     * A refusal.
     *
     * @param reason     what Redis answered
     * @param entries    the entries of the refused batch
     * @param sinceMillis when the first refusal of this batch came (epoch ms)
     */
    public record Refused(String reason, int entries, long sinceMillis) {
    }
}
