package io.streamfold.bench;

import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packaged processors started as separate JVMs for one benchmark run ({@link ServiceProcess}), with
 * extra JVM options from {@code PROCESSOR_JAVA_OPTS} ({@code {i}} becomes the processor's index).
 */
final class Processors implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    /**
     * The benchmarks read the run's stream after the processors are done with it (Redis's ceiling on the same data,
     * arrival delays, its size) and preload backlogs the group is moved back onto: the processors trim as deployed,
     * every second, but keep the last hour's entries, unless a run sets {@code streamfold.trim.*} itself.
     */
    private static final String KEEP_THE_RUNS_ENTRIES = "streamfold.trim.min-age=1h";

    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    /** Starts {@code count} processors on {@code redisUri} with the given extra {@code name=value} settings; waits until all are ready. */
    static Processors start(int count, String redisUri, List<String> settings) {
        List<String> withTrimming = new ArrayList<>(settings);
        if (settings.stream().noneMatch(setting -> setting.startsWith("streamfold.trim."))) {
            withTrimming.add(0, KEEP_THE_RUNS_ENTRIES);
        }
        Processors processors = new Processors();
        try {
            for (int i = 0; i < count; i++) {
                int port = FreePort.pick(); // not a fixed port: another benchmark's processor may hold it and answer our readiness probe
                Map<String, String> properties = ServiceOptions.properties(Map.of("streamfold.redis.url", redisUri,
                        "quarkus.http.port", String.valueOf(port), "streamfold.consumer.name", "bench-" + i), withTrimming);
                processors.processes.add(ServiceProcess.start("processor-" + i, "processor",
                        ServiceOptions.jvmOptions("-Xmx512m", "PROCESSOR_JAVA_OPTS", i), properties));
                processors.ports.add(port);
            }
            for (int i = 0; i < count; i++) {
                processors.processes.get(i).awaitReady(processors.ports.get(i), STARTUP);
            }
            return processors;
        } catch (RuntimeException e) {
            processors.close();
            throw e;
        }
    }

    /** CPU time the processors used so far, all of them together. */
    Duration cpuTime() {
        return processes.stream().map(ServiceProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
    }

    /** The Prometheus text of each processor's {@code /q/metrics}. */
    List<String> metrics() {
        List<String> texts = new ArrayList<>();
        for (int port : ports) {
            texts.add(ServiceProcess.get(port, "/q/metrics").body());
        }
        return texts;
    }

    @Override
    public void close() {
        processes.forEach(ServiceProcess::close);
    }
}
