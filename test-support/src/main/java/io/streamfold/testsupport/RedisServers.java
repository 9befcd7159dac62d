package io.streamfold.testsupport;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts a real Redis for a test: the server in {@code REDIS_URL} if set; else a {@code redis:7}
 * container when a Docker engine answers; else a {@code redis-server} from PATH on a free loopback
 * port; else a failure that says what to install. Never port 6379.
 */
public final class RedisServers {

    private RedisServers() {
    }

    public static RedisServer start(RedisOptions options) {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return new ExternalRedisServer(url);
        }
        if (ContainerRedisServer.dockerAvailable()) {
            return new ContainerRedisServer(options);
        }
        Optional<Path> binary = LocalRedisServer.findBinary();
        if (binary.isPresent()) {
            return new LocalRedisServer(binary.get(), options);
        }
        throw new IllegalStateException("No Redis for the tests: set REDIS_URL to a disposable server, "
                + "start a Docker engine (Testcontainers runs redis:7), or install redis-server "
                + "(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis).");
    }

    public static RedisServer start() {
        return start(RedisOptions.defaults());
    }
}
