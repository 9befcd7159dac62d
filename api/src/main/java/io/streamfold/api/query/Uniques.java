package io.streamfold.api.query;

/** Distinct users of the current hour or day (HyperLogLog: within 0.81% typically), from {@code start} (ISO-8601). */
public record Uniques(String window, String start, long users) {
}
