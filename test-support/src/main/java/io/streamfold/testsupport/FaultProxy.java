package io.streamfold.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between a client and a server, on real sockets, that can misbehave on purpose: pass traffic, hold the
 * server's replies (requests still reach the server and run there; the client waits past its timeout), or drop a
 * connection once the server has answered a request, before the client gets the reply (the request ran, the client
 * cannot know). For testing what a client does when Redis stalls or a connection is lost mid-command. Each accepted
 * connection gets two pump threads; {@link #close()} stops them all.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with the server's replies. */
    public enum Mode {
        /** Forwards both ways. */
        PASS,
        /** Keeps the server's replies from the client (they wait in the socket) until the mode changes. */
        HOLD_REPLIES,
        /** Closes a connection, both sides, as soon as the server sends anything on it: the reply is lost. */
        DROP_REPLIES
    }

    private static final System.Logger LOG = System.getLogger(FaultProxy.class.getName());

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object modeChanged = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port to {@code host:port}, passing traffic. */
    public static FaultProxy to(String host, int port) {
        try {
            return new FaultProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the proxy's port", e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code redis://127.0.0.1:<port>}: a Redis URL through the proxy. */
    public String redisUri() {
        return "redis://" + listener.getInetAddress().getHostAddress() + ":" + port();
    }

    public void mode(Mode mode) {
        synchronized (modeChanged) {
            this.mode = mode;
            modeChanged.notifyAll();
        }
    }

    public Mode mode() {
        return mode;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5_000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "fault proxy: could not connect a client to " + target, e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (replies && !awaitReplyAllowed()) {
                        break; // DROP_REPLIES: the reply is lost with the connection
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException connectionGone) {
                // the other pump, close(), or a peer ended the connection
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "fault proxy: a connection failed", e);
                }
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, replies ? "fault-proxy-replies" : "fault-proxy-requests");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits while replies are held; false when they are to be dropped. */
    private boolean awaitReplyAllowed() {
        synchronized (modeChanged) {
            while (mode == Mode.HOLD_REPLIES && !closed) {
                try {
                    modeChanged.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return mode == Mode.PASS && !closed;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        mode(Mode.PASS);
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(FaultProxy::closeQuietly);
    }
}
