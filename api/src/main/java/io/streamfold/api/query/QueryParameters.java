package io.streamfold.api.query;

import io.streamfold.api.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and checks query parameters: each method returns a typed value or throws a 400 problem
 * saying which parameter was wrong, what arrived and what is accepted.
 */
public final class QueryParameters {

    /** Most quantiles one request may ask for. */
    static final int MAX_QUANTILES = 20;

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhd])");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?[0-9]{1,15}");

    private QueryParameters() {
    }

    /** Refuses parameters the resource does not take, and parameters given more than once. */
    public static void requireOnly(UriInfo uri, Set<String> accepted) {
        MultivaluedMap<String, String> parameters = uri.getQueryParameters();
        for (var parameter : parameters.entrySet()) {
            if (!accepted.contains(parameter.getKey())) {
                throw ProblemException.badRequest("unknown query parameter " + ProblemException.quote(parameter.getKey())
                        + "; this resource takes " + (accepted.isEmpty() ? "none" : String.join(", ", accepted.stream().sorted().toList())));
            }
            if (parameter.getValue().size() > 1) {
                throw ProblemException.badRequest("query parameter '" + parameter.getKey() + "' is given "
                        + parameter.getValue().size() + " times; give it once");
            }
        }
    }

    /** A dimension of the schema. */
    static String dimension(String text, List<String> dimensions) {
        if (text == null || text.isEmpty()) {
            throw ProblemException.badRequest("query parameter 'dimension' is required; dimensions are "
                    + String.join(", ", dimensions));
        }
        if (!dimensions.contains(text)) {
            throw ProblemException.badRequest("unknown dimension " + ProblemException.quote(text) + "; dimensions are "
                    + String.join(", ", dimensions));
        }
        return text;
    }

    /** A required, non-empty text parameter. */
    static String required(String name, String text) {
        if (text == null || text.isEmpty()) {
            throw ProblemException.badRequest("query parameter '" + name + "' is required");
        }
        return text;
    }

    /**
     * A duration such as {@code 15m}, {@code 6h} or {@code 7d}, at most {@code longest}; or, where
     * {@code allowAll}, the word {@code all} (returned as null).
     */
    static Duration window(String text, Duration longest, boolean allowAll, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        if (allowAll && text.equals("all")) {
            return null;
        }
        Duration window = duration("window", text, allowAll ? "'all' or " : "");
        if (window.compareTo(longest) > 0) {
            throw ProblemException.badRequest("window " + text + " is longer than the retention of " + describe(longest)
                    + "; ask for " + describe(longest) + " or less");
        }
        return window;
    }

    /** An instant as epoch milliseconds or ISO-8601 ({@code 2026-11-25T10:00:00Z}); null when absent. */
    static Instant instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return EPOCH_MILLIS.matcher(text).matches() ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' is not an instant: " + ProblemException.quote(text)
                    + "; give epoch milliseconds or ISO-8601 such as 2026-11-25T10:00:00Z");
        }
    }

    /** One of the time-series steps: 1m, 5m, 1h, 1d. */
    static Duration step(String text) {
        if (text == null) {
            return Duration.ofMinutes(1);
        }
        return switch (text) {
            case "1m" -> Duration.ofMinutes(1);
            case "5m" -> Duration.ofMinutes(5);
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> throw ProblemException.badRequest("query parameter 'step' must be one of 1m, 5m, 1h, 1d; was "
                    + ProblemException.quote(text));
        };
    }

    /** An integer within [1, max]. */
    static int count(String name, String text, int fallback, int max) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.badRequest("query parameter '" + name + "' must be a whole number from 1 to " + max
                + "; was " + ProblemException.quote(text));
    }

    /** A comma-separated list of quantiles, each a decimal within [0, 1]. */
    static List<Double> quantiles(String text) {
        if (text == null) {
            return List.of(0.5, 0.95, 0.99);
        }
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_QUANTILES) {
            throw ProblemException.badRequest("query parameter 'q' lists " + parts.length + " quantiles; at most "
                    + MAX_QUANTILES + " are allowed");
        }
        List<Double> quantiles = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (!part.matches("(0(\\.[0-9]{1,6})?|1(\\.0{1,6})?)")) {
                throw ProblemException.badRequest("query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; "
                        + ProblemException.quote(part) + " is not one");
            }
            quantiles.add(Double.parseDouble(part));
        }
        return quantiles;
    }

    /** Human form of a duration: 7d, 24h, 15m. */
    static String describe(Duration duration) {
        if (duration.toMinutes() * 60 != duration.toSeconds()) {
            return duration.toString();
        }
        long minutes = duration.toMinutes();
        if (minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    private static Duration duration(String name, String text, String alternatives) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be " + alternatives
                    + "a duration such as 15m, 6h or 7d; was " + ProblemException.quote(text));
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
