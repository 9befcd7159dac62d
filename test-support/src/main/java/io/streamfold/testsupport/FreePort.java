package io.streamfold.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free loopback port, never 6379 (the machine's shared Redis may listen there). */
public final class FreePort {

    static final int SHARED_REDIS_PORT = 6379;

    private FreePort() {
    }

    public static int pick() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (port != SHARED_REDIS_PORT) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no free loopback port other than " + SHARED_REDIS_PORT);
    }
}
