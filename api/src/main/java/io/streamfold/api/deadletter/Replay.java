package io.streamfold.api.deadletter;

import java.util.List;

/**
 * Dead letters to move back onto the stream (after the producer or the schema was fixed).
 *
 * @param ids the dead letters' ids, as {@code GET /deadletters} lists them
 */
public record Replay(List<String> ids) {

    /**
     * What a replay did.
     *
     * @param replayed each replayed dead letter's id and its new entry id in the stream
     * @param missing  ids that named no dead letter (already replayed, trimmed, or never there)
     */
    public record Result(List<Moved> replayed, List<String> missing) {
    }

    /** A dead letter moved back: its id, and the id of the entry that now carries its fields. */
    public record Moved(String deadLetter, String entry) {
    }
}
