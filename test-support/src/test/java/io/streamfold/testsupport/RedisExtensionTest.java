package io.streamfold.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

@RedisTest(appendOnly = true)
class RedisExtensionTest {

    @Test
    void givesTheClassItsOwnServerAwayFromTheSharedPort(RedisServer redis) {
        assertThat(redis.port()).isNotEqualTo(FreePort.SHARED_REDIS_PORT);
        assertThat(redis.command("PING")).isEqualTo("+PONG");
        assertThat(redis.uri()).isEqualTo("redis://" + redis.host() + ":" + redis.port());
    }

    @Test
    void keepsDataAcrossARestartOnTheSamePortWhenAppendOnly(RedisServer redis) {
        assumeTrue(redis.controllable(), "REDIS_URL servers cannot be restarted");
        assertThat(redis.command("SET", "survivor", "42")).isEqualTo("+OK");

        redis.restart();

        assertThat(redis.command("GET", "survivor")).isEqualTo("$2");
    }

    @Test
    void keepsDataAcrossAKillAndStartWhenAppendOnly(RedisServer redis) {
        assumeTrue(redis.controllable(), "REDIS_URL servers cannot be killed");
        assertThat(redis.command("SET", "crash-survivor", "7")).isEqualTo("+OK");

        redis.kill();
        redis.start();

        assertThat(redis.command("EXISTS", "crash-survivor")).isEqualTo(":1");
    }
}
