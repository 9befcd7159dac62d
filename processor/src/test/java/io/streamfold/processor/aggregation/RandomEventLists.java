package io.streamfold.processor.aggregation;

import io.streamfold.contract.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Parsed events for the engine tests: extremes of the value range, small exact-bucket values, out-of-order times. */
public final class RandomEventLists {

    /** Largest value in units of the default schema. */
    public static final long MAX_ABS = 100_000_000_000L;
    /** The time the events lie before. */
    public static final long NOW = 1_795_000_000_000L;
    /** Values at the edges of the range and of the histogram's exact and log-scale buckets. */
    public static final long[] EXTREMES = {MAX_ABS, -MAX_ABS, 0, 1, -1, 127, -127, 128, -128, 129, 255, 256, -257};

    private RandomEventLists() {
    }

    /** {@code count} events over {@code spanMs} before {@link #NOW}, 4 event types and {@code products} products. */
    public static List<Event> randomEvents(SplittableRandom random, int count, long spanMs, int products) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long value = switch (random.nextInt(4)) {
                case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
                case 1 -> random.nextLong(-300, 300);
                case 2 -> random.nextLong(-MAX_ABS, MAX_ABS + 1);
                default -> random.nextLong(0, 100_000);
            };
            long ts = NOW - random.nextLong(spanMs);
            events.add(new Event("e" + i, "user-" + random.nextInt(500), "session-" + random.nextInt(2_000),
                    List.of("type-" + random.nextInt(4), "product-" + random.nextInt(products)), value, ts));
        }
        return events;
    }
}
