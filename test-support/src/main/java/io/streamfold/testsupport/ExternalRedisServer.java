package io.streamfold.testsupport;

import java.net.URI;

/**
 * The server named by {@code REDIS_URL}. It must be disposable: the harness empties it
 * ({@code FLUSHALL}) before each test class. It cannot be restarted by the harness.
 */
final class ExternalRedisServer implements RedisServer {

    private final URI uri;
    private final String user;
    private final String password;

    ExternalRedisServer(String url) {
        this.uri = URI.create(url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://[user:password@]host:port");
        }
        if (port() == FreePort.SHARED_REDIS_PORT) {
            throw new IllegalArgumentException("REDIS_URL points at port 6379; tests never use that port "
                    + "(a shared server may run there and the harness empties its server). Unset REDIS_URL "
                    + "to let the harness start its own redis-server.");
        }
        String info = uri.getUserInfo();
        if (info == null) {
            user = null;
            password = null;
        } else if (info.contains(":")) {
            String name = info.substring(0, info.indexOf(':'));
            user = name.isEmpty() ? null : name;
            password = info.substring(info.indexOf(':') + 1);
        } else {
            user = null;
            password = info;
        }
        String reply = command("FLUSHALL");
        if (!"+OK".equals(reply)) {
            throw new IllegalStateException("FLUSHALL on REDIS_URL failed: " + reply);
        }
    }

    @Override
    public String host() {
        return uri.getHost();
    }

    @Override
    public int port() {
        return uri.getPort() < 0 ? FreePort.SHARED_REDIS_PORT : uri.getPort();
    }

    @Override
    public String uri() {
        return uri.toString();
    }

    @Override
    public boolean controllable() {
        return false;
    }

    @Override
    public void restart() {
        throw unsupported();
    }

    @Override
    public void kill() {
        throw unsupported();
    }

    @Override
    public void start() {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a REDIS_URL server cannot be restarted or killed by the "
                + "harness; unset REDIS_URL to run fault tests on a local redis-server");
    }

    @Override
    public String command(String... args) {
        return Resp.command(host(), port(), user, password, args);
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
