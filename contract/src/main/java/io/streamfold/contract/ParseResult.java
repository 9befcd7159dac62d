package io.streamfold.contract;

/** The outcome of parsing one stream entry: an event, or the reason it was rejected. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

    /** The entry is a valid event. */
    record Parsed(Event event) implements ParseResult {
    }

    /** The entry is not a valid event. */
    record Rejected(Rejection rejection) implements ParseResult {
    }
}
