package io.streamfold.processor.consume;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential pause between retries: 50 ms doubling up to a maximum, reset after a success. Each
 * pause is drawn between half and all of the current step, so processors that failed together do
 * not retry together.
 */
public final class Backoff {

    private static final Duration FIRST = Duration.ofMillis(50);

    private final Duration max;
    private Duration current = FIRST;

    Backoff(Duration max) {
        this.max = max;
    }

    /** The longest pause. */
    Duration max() {
        return max;
    }

    Duration current() {
        return current;
    }

    void pause() {
        try {
            long millis = current.toMillis();
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration next = current.multipliedBy(2);
        current = next.compareTo(max) > 0 ? max : next;
    }

    void reset() {
        current = FIRST;
    }
}
