package io.streamfold.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;

class OutageLogTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void writesTheFirstRequestAtOnceThenAtMostOneLineEveryTenSeconds() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        OutageLog log = new OutageLog(now::get);
        RedisConnectionException failure = new RedisConnectionException("Unable to write command into connection!");

        assertThat(log.answered("/aggregates", "it cannot be reached", failure)).as("the first").isTrue();
        for (int request = 1; request <= 1_000; request++) { // one every 10 ms: the last one 10 s after the first
            now.addAndGet(SECOND / 100);
            assertThat(log.answered("/aggregates", "it cannot be reached", failure)).as("request %d", request)
                    .isEqualTo(request == 1_000);
        }
        now.set(24 * SECOND);
        assertThat(log.answered("/events", "it cannot be reached", failure)).as("9 s after the last line").isFalse();
        now.set(25 * SECOND);
        assertThat(log.answered("/events", "it cannot be reached", failure)).as("10 s after it").isTrue();
    }
}
