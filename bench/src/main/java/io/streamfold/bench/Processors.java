package io.streamfold.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Packaged processors ({@code processor/target/quarkus-app}) started as separate JVMs for one benchmark run. */
final class Processors implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    /** Starts {@code count} processors on {@code redisUri} with the given extra {@code -D} settings and waits until all are ready. */
    static Processors start(int count, String redisUri, List<String> settings, Path logs) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("streamfold.root", ".")).resolve("processor/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (bench/drain.sh does)");
        }
        Files.createDirectories(logs);
        Processors processors = new Processors();
        for (int i = 0; i < count; i++) {
            int port = 18081 + i;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            String javaOptions = System.getenv().getOrDefault("PROCESSOR_JAVA_OPTS", "").replace("{i}", String.valueOf(i));
            for (String option : javaOptions.split("\\s+")) {
                if (!option.isBlank()) {
                    command.add(option);
                }
            }
            command.add("-Dstreamfold.redis.url=" + redisUri);
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dstreamfold.consumer.name=bench-" + i);
            settings.forEach(setting -> command.add("-D" + setting));
            command.add("-jar");
            command.add(jar.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logs.resolve("processor-" + i + ".log").toFile()).start();
            processors.processes.add(process);
            processors.ports.add(port);
        }
        for (int i = 0; i < count; i++) {
            processors.awaitReady(i);
        }
        return processors;
    }

    /** CPU time the processors used so far, all of them together. */
    Duration cpuTime() {
        return processes.stream().map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** The Prometheus text of each processor's {@code /q/metrics}. */
    List<String> metrics() throws IOException, InterruptedException {
        List<String> texts = new ArrayList<>();
        for (int port : ports) {
            texts.add(get(port, "/q/metrics").body());
        }
        return texts;
    }

    private void awaitReady(int index) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes.get(index).isAlive()) {
                throw new IllegalStateException("processor " + index + " exited; see its log");
            }
            try {
                if (get(ports.get(index), "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // starting
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("processor " + index + " not ready within 60 s");
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
