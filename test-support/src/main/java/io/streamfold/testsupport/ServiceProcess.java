package io.streamfold.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged StreamFold application ({@code <module>/target/quarkus-app}) run as its own process,
 * for end-to-end tests and benchmarks. The repository root comes from {@code streamfold.root}
 * (default {@code ..}), the log folder from {@code streamfold.logs} (default {@code target/e2e-logs}).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean frozen;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code module}'s fast-jar with the given {@code -D} properties; output goes to {@code <logs>/<name>.log}. */
    public static ServiceProcess start(String name, String module, Map<String, String> properties) {
        return start(name, module, List.of("-Xmx256m"), properties);
    }

    /** As {@link #start(String, String, Map)}, with the given JVM options (heap, collector, …) instead of the default heap. */
    public static ServiceProcess start(String name, String module, List<String> jvmOptions, Map<String, String> properties) {
        Path root = Path.of(System.getProperty("streamfold.root", ".."));
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the applications first (mvn -B verify does)");
        }
        Path logs = Path.of(System.getProperty("streamfold.logs", "target/e2e-logs"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ServiceProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code http://127.0.0.1:<port>/q/health/ready} answers 200. */
    public ServiceProcess awaitReady(int port, Duration within) {
        await(name + " ready").atMost(within).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return get(port, "/q/health/ready").statusCode() == 200;
        });
        return this;
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + within + "; see " + log);
        }
        return process.exitValue();
    }

    public boolean exited() {
        return !process.isAlive();
    }

    /** Kills the process at once (SIGKILL), like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Freezes the process (SIGSTOP), like a VM paused or a very long GC pause: its sockets stay open
     * and Redis goes on serving them, but it runs nothing until {@link #thaw}. Returns once the
     * kernel reports it stopped.
     */
    public void freeze() {
        signal("STOP");
        frozen = true;
        Path stat = Path.of("/proc", String.valueOf(process.toHandle().pid()), "stat");
        if (Files.exists(stat)) {
            await(name + " stopped").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> state(stat) == 'T');
        }
    }

    /** Resumes a frozen process (SIGCONT); harmless on one that runs or has exited. */
    public void thaw() {
        if (process.isAlive()) {
            signal("CONT");
        }
        frozen = false;
    }

    public boolean frozen() {
        return frozen;
    }

    private void signal(String signal) {
        long pid = process.toHandle().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state letter of {@code /proc/<pid>/stat} (after the parenthesised command name): R, S, T, … */
    private static char state(Path stat) throws IOException {
        String line = Files.readString(stat);
        return line.charAt(line.lastIndexOf(')') + 2);
    }

    /** CPU time the process has used so far. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Asks the process to stop (SIGTERM) and waits for it to exit; returns its exit code. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        return awaitExit(within);
    }

    /** {@code common} plus the given key/value pairs, as {@code -D} properties for {@link #start}. */
    public static Map<String, String> with(Map<String, String> common, Object... pairs) {
        Map<String, String> properties = new HashMap<>(common);
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(String.valueOf(pairs[i]), String.valueOf(pairs[i + 1]));
        }
        return properties;
    }

    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (frozen) {
            thaw();
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
