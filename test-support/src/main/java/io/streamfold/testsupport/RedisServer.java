package io.streamfold.testsupport;

/**
 * A real Redis server owned by one test class. Obtain one with {@link RedisServers#start} or by
 * annotating the test class with {@link RedisTest}.
 */
public interface RedisServer extends AutoCloseable {

    String host();

    int port();

    /** {@code redis://host:port}, with credentials where the server needs them. */
    String uri();

    /** Whether {@link #restart()}, {@link #kill()} and {@link #start()} are possible (not for {@code REDIS_URL}). */
    boolean controllable();

    /** Stops the server cleanly and starts it again on the same port and data directory. */
    void restart();

    /** Kills the server at once (SIGKILL), like a crash; {@link #start()} brings it back. */
    void kill();

    /** Starts a server that was killed, on the same port and data directory. */
    void start();

    /** Sends one command and returns the reply's first line, e.g. {@code +PONG}. For harness checks only. */
    String command(String... args);

    /** Stops the server and removes its data. */
    @Override
    void close();
}
