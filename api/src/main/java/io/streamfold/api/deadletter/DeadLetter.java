package io.streamfold.api.deadletter;

import java.util.Map;

/** One dead letter: its id in the dead-letter stream and its fields (the entry's own and the {@code dlq_*} ones). */
public record DeadLetter(String id, Map<String, String> fields) {
}
