package io.streamfold.contract;

/**
 * Why a stream entry is not a valid event: a stable machine-readable {@link Reason} and a message
 * for people that says what was expected and what arrived.
 */
public record Rejection(Reason reason, String field, String message) {

    /** The stable reasons a stream entry is rejected; {@link #code()} is what dead letters carry. */
    public enum Reason {
        MISSING_FIELD("missing_field"),
        EMPTY_FIELD("empty_field"),
        VALUE_NOT_A_NUMBER("value_not_a_number"),
        VALUE_OUT_OF_RANGE("value_out_of_range"),
        TOO_MANY_DECIMALS("too_many_decimals"),
        TS_NOT_AN_INTEGER("ts_not_an_integer"),
        TOO_OLD("too_old"),
        FUTURE_TS("future_ts"),
        FIELD_TOO_LONG("field_too_long"),
        UNKNOWN_ENCODING("unknown_encoding"),
        INVALID_UTF8("invalid_utf8");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
