package io.streamfold.contract;

import io.streamfold.contract.Rejection.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a stream entry (a flat field map) into an {@link Event} or a precise {@link Rejection}.
 * The processor, the API's ingestion endpoint and the tests all parse through this one class. An
 * event's time must lie in the schema's window ({@link EventSchema#accepts}) at the clock's time.
 * Thread-safe.
 */
public final class EventParser {

    /** Longest piece of a bad value quoted back in a message. */
    static final int QUOTE_LIMIT = 40;

    private final EventSchema schema;
    private final Clock clock;
    private final FixedPoint fixedPoint;
    private final String maxAbsText;

    /** A parser that judges event times by the system clock. */
    public EventParser(EventSchema schema) {
        this(schema, Clock.systemUTC());
    }

    /** A parser that judges event times by {@code clock}. */
    public EventParser(EventSchema schema, Clock clock) {
        this.schema = schema;
        this.clock = clock;
        this.fixedPoint = schema.fixedPoint();
        this.maxAbsText = fixedPoint.format(schema.maxAbsValue());
    }

    public ParseResult parse(Map<String, String> fields) {
        String encoding = fields.get(schema.encodingField());
        if (encoding != null && !EventSchema.FLAT_ENCODING.equals(encoding)) {
            return reject(Reason.UNKNOWN_ENCODING, schema.encodingField(),
                    "unknown encoding " + quote(encoding) + " in field '" + schema.encodingField()
                            + "'; only '" + EventSchema.FLAT_ENCODING + "' is supported");
        }
        try {
            String eventId = text(fields, schema.eventIdField());
            String userId = text(fields, schema.userField());
            String sessionId = text(fields, schema.sessionField());
            List<String> dimensions = new ArrayList<>(schema.dimensions().size());
            for (String dimension : schema.dimensions()) {
                dimensions.add(text(fields, dimension));
            }
            long value = value(fields);
            long ts = timestamp(fields);
            return new ParseResult.Parsed(new Event(eventId, userId, sessionId, dimensions, value, ts));
        } catch (Refused refused) {
            return new ParseResult.Rejected(refused.rejection);
        }
    }

    private String text(Map<String, String> fields, String name) throws Refused {
        String value = fields.get(name);
        if (value == null) {
            throw new Refused(Reason.MISSING_FIELD, name, "missing field '" + name + "'");
        }
        if (value.isEmpty()) {
            throw new Refused(Reason.EMPTY_FIELD, name, "field '" + name + "' is empty");
        }
        if (value.length() > schema.maxFieldLength()) {
            throw new Refused(Reason.FIELD_TOO_LONG, name, "field '" + name + "' is " + value.length()
                    + " characters long; at most " + schema.maxFieldLength() + " are allowed");
        }
        if (!Utf8.isEncodable(value)) {
            throw new Refused(Reason.INVALID_UTF8, name, "field '" + name + "' is not valid UTF-8 (it holds a lone "
                    + "surrogate, which has no UTF-8 form)");
        }
        return value;
    }

    private long value(Map<String, String> fields) throws Refused {
        String name = schema.valueField();
        String text = text(fields, name);
        try {
            return fixedPoint.parse(text, schema.maxAbsValue());
        } catch (FixedPoint.Invalid invalid) {
            throw switch (invalid.kind()) {
                case NOT_A_NUMBER -> new Refused(Reason.VALUE_NOT_A_NUMBER, name,
                        "field '" + name + "' is not a decimal number: " + quote(text));
                case OUT_OF_RANGE -> new Refused(Reason.VALUE_OUT_OF_RANGE, name,
                        "field '" + name + "' is out of range: " + quote(text) + " is beyond ±" + maxAbsText);
                case TOO_MANY_DECIMALS -> new Refused(Reason.TOO_MANY_DECIMALS, name,
                        "field '" + name + "' has " + invalid.decimals() + " decimals; at most "
                                + schema.scale() + " are allowed: " + quote(text));
            };
        }
    }

    private long timestamp(Map<String, String> fields) throws Refused {
        String name = schema.tsField();
        String text = text(fields, name);
        long ts;
        try {
            ts = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Refused(Reason.TS_NOT_AN_INTEGER, name,
                    "field '" + name + "' is not an integer of epoch milliseconds: " + quote(text));
        }
        long now = clock.millis();
        if (schema.accepts(ts, now)) {
            return ts;
        }
        if (ts < schema.oldestAccepted(now)) {
            throw new Refused(Reason.TOO_OLD, name, "field '" + name + "' is " + Instant.ofEpochMilli(ts)
                    + ", older than the retention of " + schema.retention() + " allows; the oldest accepted time is "
                    + Instant.ofEpochMilli(schema.oldestAccepted(now)));
        }
        throw new Refused(Reason.FUTURE_TS, name, "field '" + name + "' is " + Instant.ofEpochMilli(ts)
                + ", further ahead than the max future skew of " + schema.maxFutureSkew()
                + " allows; the latest accepted time is " + Instant.ofEpochMilli(schema.latestAccepted(now)));
    }

    private static ParseResult reject(Reason reason, String field, String message) {
        return new ParseResult.Rejected(new Rejection(reason, field, message));
    }

    /** Quotes a bad value for a message, cut to {@value #QUOTE_LIMIT} characters. */
    static String quote(String text) {
        return text.length() <= QUOTE_LIMIT
                ? "'" + text + "'"
                : "'" + text.substring(0, QUOTE_LIMIT) + "…' (" + text.length() + " characters)";
    }

    /** Control flow inside the parser only; never escapes it. */
    private static final class Refused extends Exception {
        private final transient Rejection rejection;

        Refused(Reason reason, String field, String message) {
            super(message, null, false, false);
            this.rejection = new Rejection(reason, field, message);
        }
    }
}
