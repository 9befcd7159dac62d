package io.streamfold.producer.load;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic shop events in the default schema: a funnel of event types (views most, refunds
 * rarest), products by Zipf popularity with a fixed price each, users with 30-minute sessions,
 * values with two decimals (refunds negative), timestamps up to two seconds out of order.
 * Deterministic for a seed and a clock. Not thread-safe.
 */
public final class EventGenerator {

    private static final String[] TYPES = {"view", "add_to_cart", "checkout", "purchase", "refund"};
    private static final double[] TYPE_WEIGHTS = {0.60, 0.20, 0.08, 0.10, 0.02};
    private static final long SESSION_MILLIS = 30 * 60 * 1000L;
    private static final int MAX_SKEW_MILLIS = 2_000;

    private final SplittableRandom random;
    private final String producerId;
    private final double[] typeCdf;
    private final double[] productCdf;
    private final long[] priceCents;
    private final int users;
    private long sequence;

    public EventGenerator(long seed, int products, int users) {
        if (products < 1 || users < 1) {
            throw new IllegalArgumentException("products and users must be positive");
        }
        this.random = new SplittableRandom(seed);
        this.producerId = Long.toHexString(random.nextLong() & 0xffffffffL);
        this.typeCdf = cdf(TYPE_WEIGHTS);
        double[] zipf = new double[products];
        for (int i = 0; i < products; i++) {
            zipf[i] = 1.0 / Math.pow(i + 1, 1.1);
        }
        this.productCdf = cdf(zipf);
        this.priceCents = new long[products];
        for (int i = 0; i < products; i++) {
            priceCents[i] = 199 + random.nextLong(49_800);
        }
        this.users = users;
    }

    /** The next event, stamped around {@code nowMillis}. */
    public Map<String, String> next(long nowMillis) {
        int type = pick(typeCdf);
        int product = pick(productCdf);
        int user = random.nextInt(users);
        long ts = nowMillis - random.nextInt(MAX_SKEW_MILLIS);
        Map<String, String> fields = new LinkedHashMap<>(12);
        fields.put("event_id", producerId + "-" + sequence++);
        fields.put("user_id", "user-" + user);
        fields.put("event_type", TYPES[type]);
        fields.put("product", "product-" + product);
        fields.put("session_id", "user-" + user + "-" + (ts + user * 7919L) / SESSION_MILLIS);
        fields.put("value", formatCents(valueCents(TYPES[type], priceCents[product])));
        fields.put("ts", Long.toString(ts));
        return fields;
    }

    private long valueCents(String type, long price) {
        return switch (type) {
            case "view" -> 0;
            case "purchase" -> price * (1 + random.nextInt(3));
            case "refund" -> -price;
            default -> price;
        };
    }

    static String formatCents(long cents) {
        long abs = Math.abs(cents);
        return (cents < 0 ? "-" : "") + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
    }

    private int pick(double[] cdf) {
        int index = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(index < 0 ? -index - 1 : index, cdf.length - 1);
    }

    private static double[] cdf(double[] weights) {
        double total = Arrays.stream(weights).sum();
        double[] cdf = new double[weights.length];
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i] / total;
            cdf[i] = running;
        }
        return cdf;
    }
}
