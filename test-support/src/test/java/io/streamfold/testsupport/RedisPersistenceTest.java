package io.streamfold.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisPersistenceTest {

    @ParameterizedTest
    @CsvSource({"NONE, no, everysec", "AOF_ALWAYS, yes, always", "AOF_EVERYSEC, yes, everysec"})
    void startsRedisWithTheAppendOnlyFileAskedFor(RedisOptions.Persistence persistence, String appendOnly, String fsync) {
        try (RedisServer redis = RedisServers.start(new RedisOptions(persistence))) {
            assumeTrue(redis.controllable(), "a REDIS_URL server runs as it was started");
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().configGet("appendonly", "appendfsync"))
                        .isEqualTo(Map.of("appendonly", appendOnly, "appendfsync", fsync));
            } finally {
                client.shutdown();
            }
        }
    }
}
