package io.streamfold.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A {@code redis-server} child process on a free loopback port, with its own data directory. */
final class LocalRedisServer implements RedisServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final String HOST = "127.0.0.1";

    private final Path binary;
    private final RedisOptions options;
    private final int port;
    private final Path dir;
    private final Thread reaper;
    private Process process;

    LocalRedisServer(Path binary, RedisOptions options) {
        this.binary = binary;
        this.options = options;
        this.port = FreePort.pick();
        try {
            this.dir = Files.createTempDirectory("streamfold-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reaper = new Thread(this::destroy, "redis-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(reaper);
        start();
    }

    /** The {@code redis-server} on PATH (or in {@code REDIS_SERVER}), if any. */
    static Optional<Path> findBinary() {
        String explicit = System.getenv("REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    public boolean controllable() {
        return true;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", String.valueOf(port), "--bind", HOST, "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
        command.addAll(RedisOptions.DEPLOYED_SETTINGS);
        command.addAll(options.persistence().arguments());
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
        awaitPong();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + ": " + logTail());
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            pause(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT + ": " + logTail(), last);
    }

    @Override
    public synchronized void restart() {
        stopGracefully();
        start();
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    @Override
    public String command(String... args) {
        return Resp.command(HOST, port, null, null, args);
    }

    @Override
    public synchronized void close() {
        stopGracefully();
        deleteDir();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the hook runs anyway and finds nothing to do
        }
    }

    private void stopGracefully() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            command("SHUTDOWN");
        } catch (RuntimeException connectionClosedByShutdown) {
            // SHUTDOWN closes the connection without a reply
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        waitFor(process);
    }

    private void destroy() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no redis.log)";
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }
}
