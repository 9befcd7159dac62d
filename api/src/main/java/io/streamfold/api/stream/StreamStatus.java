package io.streamfold.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The stream's health as operators read it: its length and first and last entry id, the dead
 * letters waiting, and each consumer group with its pending entries, lag (entries not yet
 * delivered; absent when Redis cannot tell), entries read, and each consumer's pending and idle time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStatus(String stream, long length, String firstId, String lastId, long deadLetters,
        List<Group> groups) {

    /** One consumer group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String name, long pending, Long lag, Long entriesRead, String lastDeliveredId,
            List<Consumer> consumers) {
    }

    /** One consumer of a group: its pending entries and how long since it last read. */
    public record Consumer(String name, long pending, long idleMillis) {
    }
}
