package io.streamfold.testsupport;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random stream entries in the default schema for tests: negative values, extremes of the value
 * range, zero, out-of-order timestamps within the hour before a given time (well inside the
 * default retention). Seeded, so a failure can be replayed.
 */
public final class RandomEvents {

    private static final String[] TYPES = {"view", "add_to_cart", "purchase", "refund"};
    private static final BigDecimal[] EXTREMES = {
        new BigDecimal("1000000000.00"), new BigDecimal("-1000000000.00"), new BigDecimal("0.01"),
        new BigDecimal("-0.01"), BigDecimal.ZERO};

    private static final int HOUR_MILLIS = 3_600_000;

    private final Random random;
    private final int products;
    private final long nowMillis;
    private long sequence;

    /** Events stamped within the hour before now. */
    public RandomEvents(long seed, int products) {
        this(seed, products, System.currentTimeMillis());
    }

    /** Events stamped within the hour before {@code nowMillis}. */
    public RandomEvents(long seed, int products, long nowMillis) {
        this.random = new Random(seed);
        this.products = products;
        this.nowMillis = nowMillis;
    }

    public Map<String, String> next() {
        long n = sequence++;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event_id", "evt-" + n);
        fields.put("user_id", "user-" + random.nextInt(1_000));
        fields.put("event_type", TYPES[random.nextInt(TYPES.length)]);
        fields.put("product", "product-" + random.nextInt(products));
        fields.put("session_id", "session-" + random.nextInt(5_000));
        fields.put("value", value().toPlainString());
        fields.put("ts", String.valueOf(nowMillis - random.nextInt(HOUR_MILLIS)));
        return fields;
    }

    public List<Map<String, String>> next(int count) {
        List<Map<String, String>> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(next());
        }
        return events;
    }

    private BigDecimal value() {
        if (random.nextInt(50) == 0) {
            return EXTREMES[random.nextInt(EXTREMES.length)];
        }
        long cents = random.nextInt(2_000_000) - 200_000;
        return BigDecimal.valueOf(cents, 2);
    }
}
