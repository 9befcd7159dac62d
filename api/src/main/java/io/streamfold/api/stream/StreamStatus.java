package io.streamfold.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The stream's health as operators read it: its length and first and last entry id, the dead
 * letters waiting, and each consumer group with its pending entries, lag (entries not yet
 * delivered; absent when Redis cannot tell), entries read, and each consumer's pending and idle time; and how far
 * finished minutes are settled into the all-time keys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStatus(String stream, long length, String firstId, String lastId, long deadLetters,
        List<Group> groups, Settling settling) {

    /** One consumer group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String name, long pending, Long lag, Long entriesRead, String lastDeliveredId,
            List<Consumer> consumers) {
    }

    /**
     * Settling: the last minute settled (every minute up to it is in the all-time keys; absent before the first
     * commit), the minutes written since and not yet settled (readers add their bins), the oldest of them, and why
     * the commits could not settle it, while they wait to try again (absent otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settling(Instant lastSettledMinute, long unsettledMinutes, Instant oldestUnsettledMinute, String refused) {
    }

    /** One consumer of a group: its pending entries and how long since it last read. */
    public record Consumer(String name, long pending, long idleMillis) {
    }
}
