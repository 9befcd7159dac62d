package io.streamfold.api.session;

import java.math.BigDecimal;

/** One session's summary: its events, their exact value sum, first and last event time (ISO-8601). */
public record Session(String id, long events, BigDecimal sum, String first, String last) {
}
