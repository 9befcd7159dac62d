package io.streamfold.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A read of all-time aggregates as every reader must make it. The commit script writes a minute's cells to its bin
 * only and adds the bin to the all-time keys once the minute is over, settling it (see {@link KeyLayout#unsettledMinutes()}),
 * so an all-time aggregate is its all-time hash plus the bins of the minutes not yet settled. {@code all-time.lua}, next to
 * this class, reads both in one atomic step; this class builds its arguments and adds the minutes to the hashes.
 *
 * <p>Run {@link #script()} with {@link #keys()} and {@link #arguments()} (read-only, {@code EVAL_RO} where the client
 * offers it), then {@link #merge(List)} its reply: each all-time hash asked for, as {@code HGETALL} would return it if
 * every minute were settled. Counts and sums are added exactly (beyond Lua's 2^53), minima and maxima compared.
 */
public final class AllTimeQuery {

    private static final LuaSource SCRIPT = LuaSource.of(AllTimeQuery.class, "all-time.lua");

    private final KeyLayout keys;
    private boolean totals;
    private final Map<String, List<String>> stats = new LinkedHashMap<>();
    private final List<String> histogramSuffixes = new ArrayList<>();

    private AllTimeQuery(KeyLayout keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** A query of nothing yet, on {@code keys}' stream. */
    public static AllTimeQuery on(KeyLayout keys) {
        return new AllTimeQuery(keys);
    }

    /** The script ({@code all-time.lua}). */
    public static LuaSource script() {
        return SCRIPT;
    }

    /** Adds the totals hash ({@link KeyLayout#totals()}). */
    public AllTimeQuery totals() {
        totals = true;
        return this;
    }

    /** Adds the hashes of {@code dimension}'s values for each of {@code statistics} ({@link KeyLayout#COUNT} …). */
    public AllTimeQuery stats(String dimension, String... statistics) {
        List<String> wanted = stats.computeIfAbsent(Objects.requireNonNull(dimension, "dimension"), d -> new ArrayList<>());
        for (String stat : statistics) {
            if (!List.of(KeyLayout.COUNT, KeyLayout.SUM, KeyLayout.MIN, KeyLayout.MAX).contains(stat)) {
                throw new IllegalArgumentException("no such statistic: '" + stat + "'");
            }
            if (!wanted.contains(stat)) {
                wanted.add(stat);
            }
        }
        return this;
    }

    /** Adds the histogram of all values ({@link KeyLayout#histogram()}). */
    public AllTimeQuery histogram() {
        return histogramBySuffix("");
    }

    /** Adds the histogram of one dimension value ({@link KeyLayout#histogram(String, String)}). */
    public AllTimeQuery histogram(String dimension, String value) {
        return histogramBySuffix(":" + Objects.requireNonNull(dimension, "dimension") + ":" + Objects.requireNonNull(value, "value"));
    }

    private AllTimeQuery histogramBySuffix(String suffix) {
        if (!histogramSuffixes.contains(suffix)) {
            histogramSuffixes.add(suffix);
        }
        return this;
    }

    /** The script's keys: the stream. */
    public List<String> keys() {
        return List.of(keys.stream());
    }

    /** The script's arguments. */
    public List<String> arguments() {
        List<String> hashes = hashNames();
        List<String> args = new ArrayList<>(2 + hashes.size() + histogramSuffixes.size());
        args.add(wantsBins() ? "1" : "0");
        args.add(String.valueOf(hashes.size()));
        args.addAll(hashes);
        args.addAll(histogramSuffixes);
        return args;
    }

    /**
     * The script's reply as the all-time hashes asked for, by key name, each with the unsettled minutes added; a hash
     * that holds nothing is empty. Strings or byte arrays in the reply are both read as UTF-8 text.
     */
    public Map<String, Map<String, String>> merge(List<?> reply) {
        List<String> names = hashNames();
        List<?> minutes = (List<?>) reply.get(0);
        Map<String, Map<String, String>> hashes = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            hashes.put(names.get(k), fields(reply.get(1 + k)));
        }
        int at = 1 + names.size();
        for (int m = 0; m < minutes.size(); m++) {
            if (wantsBins()) {
                addBin(hashes, fields(reply.get(at++)));
            }
            for (String suffix : histogramSuffixes) {
                Map<String, String> histogram = hashes.get(histogramKey(suffix));
                fields(reply.get(at++)).forEach((bucket, count) -> histogram.merge(bucket, count, AllTimeQuery::add));
            }
        }
        return hashes;
    }

    private boolean wantsBins() {
        return totals || !stats.isEmpty();
    }

    private List<String> hashNames() {
        List<String> names = new ArrayList<>();
        if (totals) {
            names.add(keys.totals());
        }
        stats.forEach((dimension, wanted) -> wanted.forEach(stat -> names.add(statKey(stat, dimension))));
        for (String suffix : histogramSuffixes) {
            names.add(histogramKey(suffix));
        }
        return names;
    }

    private String statKey(String stat, String dimension) {
        return switch (stat) {
            case KeyLayout.COUNT -> keys.countsBy(dimension);
            case KeyLayout.SUM -> keys.sumsBy(dimension);
            case KeyLayout.MIN -> keys.minsBy(dimension);
            default -> keys.maxesBy(dimension);
        };
    }

    private String histogramKey(String suffix) {
        return keys.histogram() + suffix;
    }

    /** A bin's fields: {@code <stat>} for the totals, {@code <stat>:<dimension>:<value>} per dimension value. */
    private void addBin(Map<String, Map<String, String>> hashes, Map<String, String> bin) {
        bin.forEach((field, number) -> {
            int statEnd = field.indexOf(':');
            if (statEnd < 0) {
                if (totals) {
                    merge(hashes.get(keys.totals()), field, field, number);
                }
                return;
            }
            int dimensionEnd = field.indexOf(':', statEnd + 1);
            if (dimensionEnd < 0) {
                return;
            }
            String stat = field.substring(0, statEnd);
            String dimension = field.substring(statEnd + 1, dimensionEnd);
            List<String> wanted = stats.get(dimension);
            if (wanted != null && wanted.contains(stat)) {
                merge(hashes.get(statKey(stat, dimension)), stat, field.substring(dimensionEnd + 1), number);
            }
        });
    }

    private static void merge(Map<String, String> hash, String stat, String field, String number) {
        hash.merge(field, number, switch (stat) {
            case KeyLayout.MIN -> (a, b) -> Long.parseLong(a) <= Long.parseLong(b) ? a : b;
            case KeyLayout.MAX -> (a, b) -> Long.parseLong(a) >= Long.parseLong(b) ? a : b;
            default -> AllTimeQuery::add;
        });
    }

    private static String add(String a, String b) {
        return String.valueOf(Math.addExact(Long.parseLong(a), Long.parseLong(b)));
    }

    private static Map<String, String> fields(Object hgetall) {
        List<?> flat = (List<?>) hgetall;
        Map<String, String> fields = new LinkedHashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return fields;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
