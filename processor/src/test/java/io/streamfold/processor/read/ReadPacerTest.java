package io.streamfold.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPacerTest {

    private long now = 1_000_000_000L;
    private final List<Long> parks = new ArrayList<>();
    private final ReadPacer pacer = new ReadPacer(Duration.ofMillis(2), () -> now, this::park);

    private void park(long nanos) {
        parks.add(nanos);
        now += nanos;
    }

    @Test
    void theFirstReadDoesNotWait() {
        pacer.awaitTurn();

        assertThat(parks).isEmpty();
    }

    @Test
    void aReadSoonAfterTheOneBeforeWaitsOutTheRestOfTheInterval() {
        pacer.sent();
        now += 500_000;

        pacer.awaitTurn();

        assertThat(parks).containsExactly(1_500_000L);
    }

    @Test
    void aReadAfterTheIntervalIsOverDoesNotWait() {
        pacer.sent();
        now += 2_000_000;

        pacer.awaitTurn();

        assertThat(parks).isEmpty();
    }

    @Test
    void aParkThatReturnsEarlyIsResumedUntilTheIntervalIsOver() {
        ReadPacer early = new ReadPacer(Duration.ofMillis(2), () -> now, nanos -> {
            parks.add(nanos);
            now += parks.size() == 1 ? 600_000 : nanos; // the first park wakes up early
        });
        early.sent();

        early.awaitTurn();

        assertThat(parks).containsExactly(2_000_000L, 1_400_000L);
    }

    @Test
    void aZeroIntervalNeverWaits() {
        ReadPacer unpaced = new ReadPacer(Duration.ZERO, () -> now, this::park);
        unpaced.sent();

        unpaced.awaitTurn();

        assertThat(parks).isEmpty();
    }
}
