package io.streamfold.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisTimeoutException;

class RedisOutageTest {

    @Test
    void namesRedisUnreachableTimingOutOrLoadingWhereverItSitsInTheCauses() {
        assertThat(RedisOutage.of(new RedisConnectionException("Unable to write command into connection!")))
                .contains("it cannot be reached");
        assertThat(RedisOutage.of(new RedisException("Unexpected exception while processing command",
                new ConnectException("Connection refused")))).contains("it cannot be reached");
        assertThat(RedisOutage.of(new CompletionException(new RedisTimeoutException("Command execution timeout"))))
                .contains("it did not answer in time");
        assertThat(RedisOutage.of(new RedisLoadingException("LOADING Redis is loading the dataset in memory")))
                .contains("it is loading its data");
    }

    @Test
    void leavesEveryOtherFailureToBeAnError() {
        assertThat(RedisOutage.of(new RedisException("WRONGTYPE Operation against a key holding the wrong kind of value")))
                .isEmpty();
        assertThat(RedisOutage.of(new IllegalStateException("a bug", new NullPointerException()))).isEmpty();
    }
}
