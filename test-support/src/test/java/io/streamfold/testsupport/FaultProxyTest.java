package io.streamfold.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class FaultProxyTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final RedisServer server;
    private FaultProxy proxy;
    private RedisClient client;
    private RedisCommands<String, String> throughProxy;
    private LettuceSession direct;

    FaultProxyTest(RedisServer server) {
        this.server = server;
    }

    @BeforeEach
    void connect() {
        proxy = FaultProxy.to(server.host(), server.port());
        RedisURI uri = RedisURI.create(proxy.redisUri());
        uri.setTimeout(TIMEOUT);
        client = RedisClient.create(uri);
        throughProxy = client.connect().sync();
        direct = new LettuceSession(server.uri());
        direct.sync().flushall();
    }

    @AfterEach
    void disconnect() {
        client.shutdown();
        direct.close();
        proxy.close();
    }

    @Test
    void passesCommandsAndRepliesBothWays() {
        assertThat(throughProxy.incr("k")).isEqualTo(1);
        assertThat(direct.sync().get("k")).isEqualTo("1");
    }

    @Test
    void heldRepliesTimeTheClientOutWhileTheCommandStillRunsAndComeThroughOnceReleased() {
        proxy.mode(FaultProxy.Mode.HOLD_REPLIES);

        assertThatThrownBy(() -> throughProxy.incr("k")).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(direct.sync().get("k")).as("the command ran on the server").isEqualTo("1");

        proxy.mode(FaultProxy.Mode.PASS);
        assertThat(throughProxy.incr("k")).isEqualTo(2);
    }

    @Test
    void droppedRepliesLoseTheConnectionAfterTheCommandRanAndLaterConnectionsPass() {
        proxy.mode(FaultProxy.Mode.DROP_REPLIES);

        assertThatThrownBy(() -> throughProxy.incr("k")).isInstanceOf(RuntimeException.class);
        assertThat(direct.sync().get("k")).as("the command ran on the server").isEqualTo("1");

        proxy.mode(FaultProxy.Mode.PASS);
        await("reconnected through the proxy").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> throughProxy.get("k") != null);
        assertThat(throughProxy.incr("k")).isEqualTo(2);
    }
}
