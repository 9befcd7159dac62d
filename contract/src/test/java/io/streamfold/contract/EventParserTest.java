package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.contract.Rejection.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    /** The parser's clock: 2024-11-25T13:06:40Z. */
    private static final long NOW = 1_732_540_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final long SEVEN_DAYS = Duration.ofDays(7).toMillis();
    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();

    private final EventParser parser = new EventParser(EventSchema.defaults(), CLOCK);

    private static Map<String, String> valid() {
        Map<String, String> fields = new HashMap<>();
        fields.put("event_id", "e-1");
        fields.put("user_id", "u-7");
        fields.put("event_type", "purchase");
        fields.put("product", "p-42");
        fields.put("session_id", "s-3");
        fields.put("value", "23.45");
        fields.put("ts", String.valueOf(NOW));
        return fields;
    }

    private Rejection rejectionOf(Map<String, String> fields) {
        ParseResult result = parser.parse(fields);
        assertThat(result).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) result).rejection();
    }

    private Rejection rejectionWith(String field, String value) {
        Map<String, String> fields = valid();
        fields.put(field, value);
        return rejectionOf(fields);
    }

    @Test
    void parsesAValidEntryIntoATypedEventWithFixedPointValue() {
        ParseResult result = parser.parse(valid());

        assertThat(result).isEqualTo(new ParseResult.Parsed(new Event(
                "e-1", "u-7", "s-3", List.of("purchase", "p-42"), 2345L, NOW)));
    }

    @Test
    void readsDimensionsAndFieldNamesFromACustomSchema() {
        EventSchema custom = new EventSchema("id", "uid", "sid", List.of("region", "device"),
                "amount", "time", "enc", 3, 1_000_000L, 16, Duration.ofHours(1), Duration.ZERO);
        Map<String, String> fields = Map.of("id", "1", "uid", "u", "sid", "s", "region", "eu",
                "device", "ios", "amount", "-1.5", "time", String.valueOf(NOW - 5));

        ParseResult result = new EventParser(custom, CLOCK).parse(fields);

        assertThat(result).isEqualTo(new ParseResult.Parsed(new Event(
                "1", "u", "s", List.of("eu", "ios"), -1500L, NOW - 5)));
    }

    @Test
    void rejectsAMissingField() {
        Map<String, String> fields = valid();
        fields.remove("product");

        assertThat(rejectionOf(fields)).isEqualTo(
                new Rejection(Reason.MISSING_FIELD, "product", "missing field 'product'"));
    }

    @Test
    void rejectsAnEmptyField() {
        assertThat(rejectionWith("user_id", "")).isEqualTo(
                new Rejection(Reason.EMPTY_FIELD, "user_id", "field 'user_id' is empty"));
    }

    @ParameterizedTest
    @CsvSource({"abc", "1.2.3", "1e5", "' 1'", "-", ".", "0x10", "'12,5'"})
    void rejectsAValueThatIsNotADecimalNumber(String text) {
        assertThat(rejectionWith("value", text)).isEqualTo(new Rejection(Reason.VALUE_NOT_A_NUMBER, "value",
                "field 'value' is not a decimal number: '" + text + "'"));
    }

    @ParameterizedTest
    @CsvSource({"1000000000.01", "-1000000000.01", "99999999999999999999999999"})
    void rejectsAValueOutOfRange(String text) {
        assertThat(rejectionWith("value", text)).isEqualTo(new Rejection(Reason.VALUE_OUT_OF_RANGE, "value",
                "field 'value' is out of range: '" + text + "' is beyond ±1000000000.00"));
    }

    @Test
    void acceptsTheExactLimitsOfTheValueRange() {
        Map<String, String> fields = valid();
        fields.put("value", "-1000000000.00");

        assertThat(parser.parse(fields)).isInstanceOfSatisfying(ParseResult.Parsed.class,
                parsed -> assertThat(parsed.event().value()).isEqualTo(-100_000_000_000L));
    }

    @Test
    void rejectsAValueWithMoreDecimalsThanTheScale() {
        assertThat(rejectionWith("value", "1.234")).isEqualTo(new Rejection(Reason.TOO_MANY_DECIMALS, "value",
                "field 'value' has 3 decimals; at most 2 are allowed: '1.234'"));
    }

    @Test
    void acceptsTrailingZerosBeyondTheScale() {
        Map<String, String> fields = valid();
        fields.put("value", "1.2000");

        assertThat(parser.parse(fields)).isInstanceOfSatisfying(ParseResult.Parsed.class,
                parsed -> assertThat(parsed.event().value()).isEqualTo(120L));
    }

    @ParameterizedTest
    @CsvSource({"12.5", "yesterday", "99999999999999999999"})
    void rejectsATimestampThatIsNotAnInteger(String text) {
        assertThat(rejectionWith("ts", text)).isEqualTo(new Rejection(Reason.TS_NOT_AN_INTEGER, "ts",
                "field 'ts' is not an integer of epoch milliseconds: '" + text + "'"));
    }

    @Test
    void rejectsAnEventOlderThanTheRetentionAsTooOld() {
        assertThat(rejectionWith("ts", String.valueOf(NOW - SEVEN_DAYS - 1))).isEqualTo(new Rejection(Reason.TOO_OLD,
                "ts", "field 'ts' is 2024-11-18T13:06:39.999Z, older than the retention of PT168H allows; "
                        + "the oldest accepted time is 2024-11-18T13:06:40Z"));
    }

    @Test
    void rejectsAnEventFurtherAheadThanTheSkewAsFutureTs() {
        assertThat(rejectionWith("ts", String.valueOf(NOW + FIVE_MINUTES + 1))).isEqualTo(new Rejection(
                Reason.FUTURE_TS, "ts", "field 'ts' is 2024-11-25T13:11:40.001Z, further ahead than the max future "
                        + "skew of PT5M allows; the latest accepted time is 2024-11-25T13:11:40Z"));
    }

    @ParameterizedTest
    @CsvSource({"-604800000", "300000"})
    void acceptsBothEndsOfTheWindowExactly(long offset) {
        Map<String, String> fields = valid();
        fields.put("ts", String.valueOf(NOW + offset));

        assertThat(parser.parse(fields)).isInstanceOfSatisfying(ParseResult.Parsed.class,
                parsed -> assertThat(parsed.event().ts()).isEqualTo(NOW + offset));
    }

    @Test
    void acceptsAnOutOfOrderEventInsideTheRetention() {
        Map<String, String> later = valid();
        Map<String, String> earlier = valid();
        earlier.put("ts", String.valueOf(NOW - Duration.ofDays(3).toMillis()));

        assertThat(List.of(parser.parse(later), parser.parse(earlier))).extracting(
                result -> ((ParseResult.Parsed) result).event().ts()).containsExactly(NOW, NOW - 259_200_000L);
    }

    @Test
    void judgesTheWindowByTheClockAtEachParse() {
        long ts = NOW - SEVEN_DAYS;
        Clock aMillisecondLater = Clock.offset(CLOCK, Duration.ofMillis(1));
        Map<String, String> fields = valid();
        fields.put("ts", String.valueOf(ts));

        assertThat(parser.parse(fields)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(new EventParser(EventSchema.defaults(), aMillisecondLater).parse(fields))
                .isInstanceOfSatisfying(ParseResult.Rejected.class,
                        rejected -> assertThat(rejected.rejection().reason()).isEqualTo(Reason.TOO_OLD));
    }

    @Test
    void rejectsTheLargestTimestampAsFutureWithoutOverflow() {
        assertThat(rejectionWith("ts", String.valueOf(Long.MAX_VALUE))).isEqualTo(new Rejection(Reason.FUTURE_TS,
                "ts", "field 'ts' is +292278994-08-17T07:12:55.807Z, further ahead than the max future skew of PT5M "
                        + "allows; the latest accepted time is 2024-11-25T13:11:40Z"));
    }

    @Test
    void rejectsTheSmallestTimestampAsTooOldWithoutOverflow() {
        assertThat(rejectionWith("ts", String.valueOf(Long.MIN_VALUE))).isEqualTo(new Rejection(Reason.TOO_OLD,
                "ts", "field 'ts' is -292275055-05-16T16:47:04.192Z, older than the retention of PT168H allows; "
                        + "the oldest accepted time is 2024-11-18T13:06:40Z"));
    }

    @Test
    void rejectsAFieldLongerThanItsLimit() {
        assertThat(rejectionWith("product", "p".repeat(257))).isEqualTo(new Rejection(Reason.FIELD_TOO_LONG,
                "product", "field 'product' is 257 characters long; at most 256 are allowed"));
    }

    @Test
    void rejectsTextWithoutAUtf8FormAsInvalidUtf8() {
        assertThat(rejectionWith("product", "p\ud800")).isEqualTo(new Rejection(Reason.INVALID_UTF8, "product",
                "field 'product' is not valid UTF-8 (it holds a lone surrogate, which has no UTF-8 form)"));
    }

    @Test
    void rejectsAnUnknownEncoding() {
        assertThat(rejectionWith("encoding", "avro")).isEqualTo(new Rejection(Reason.UNKNOWN_ENCODING,
                "encoding", "unknown encoding 'avro' in field 'encoding'; only 'flat' is supported"));
    }

    @Test
    void acceptsTheFlatEncodingNamedExplicitly() {
        Map<String, String> fields = valid();
        fields.put("encoding", "flat");

        assertThat(parser.parse(fields)).isInstanceOf(ParseResult.Parsed.class);
    }

    @Test
    void cutsLongBadValuesInMessages() {
        String text = "x".repeat(100);

        assertThat(rejectionWith("value", text).message()).isEqualTo(
                "field 'value' is not a decimal number: '" + "x".repeat(40) + "…' (100 characters)");
    }

    @Test
    void reportsTheFirstProblemInSchemaOrder() {
        Map<String, String> fields = valid();
        fields.remove("event_id");
        fields.put("value", "bad");

        assertThat(rejectionOf(fields).reason()).isEqualTo(Reason.MISSING_FIELD);
    }
}
