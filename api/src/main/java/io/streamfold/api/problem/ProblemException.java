package io.streamfold.api.problem;

import jakarta.ws.rs.core.Response;

/** A request the API refuses, with the status and the precise detail its {@link Problem} carries. */
public final class ProblemException extends RuntimeException {

    private static final int QUOTE_LIMIT = 40;

    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    /** 400 with {@code detail}. */
    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    /** 404 with {@code detail}. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, detail);
    }

    public Response.Status status() {
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
