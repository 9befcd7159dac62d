package io.streamfold.api.problem;

import java.util.List;

/** A request the API refuses, with the status and the precise detail its {@link Problem} carries. */
public final class ProblemException extends RuntimeException {

    private static final int QUOTE_LIMIT = 40;

    private final int status;
    private final transient List<?> errors;

    public ProblemException(int status, String detail) {
        this(status, detail, null);
    }

    /** A problem listing several faults of one request in {@link Problem#errors()}. */
    public ProblemException(int status, String detail, List<?> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = errors;
    }

    public List<?> errors() {
        return errors;
    }

    /** 400 with {@code detail}. */
    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    /** 404 with {@code detail}. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public int status() {
        return status;
    }

    /** A value quoted back in a message, cut to a readable length, control characters escaped. */
    public static String quote(String text) {
        String cut = text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "…";
        StringBuilder quoted = new StringBuilder("'");
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('\'').toString();
    }
}
