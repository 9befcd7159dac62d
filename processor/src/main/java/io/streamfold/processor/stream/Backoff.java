package io.streamfold.processor.stream;

import java.time.Duration;

/** Exponential pause between retries: 50 ms doubling up to a maximum, reset after a success. */
final class Backoff {

    private static final Duration FIRST = Duration.ofMillis(50);

    private final Duration max;
    private Duration current = FIRST;

    Backoff(Duration max) {
        this.max = max;
    }

    Duration current() {
        return current;
    }

    void pause() {
        try {
            Thread.sleep(current.toMillis());
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
