package io.streamfold.bench;

import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The packaged API started as its own JVM on a free port for one benchmark run, with extra JVM options from {@code API_JAVA_OPTS}. */
final class ApiProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ServiceProcess process;
    private final int port;

    private ApiProcess(ServiceProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the API on {@code redisUri} with the given extra {@code name=value} settings; waits until it is ready. */
    static ApiProcess start(String redisUri, List<String> settings) {
        int port = FreePort.pick();
        Map<String, String> properties = ServiceOptions.properties(Map.of("streamfold.redis.url", redisUri,
                "quarkus.http.port", String.valueOf(port)), settings);
        ServiceProcess process = ServiceProcess.start("api", "api", ServiceOptions.jvmOptions("-Xmx512m", "API_JAVA_OPTS", 0),
                properties);
        try {
            process.awaitReady(port, STARTUP);
            return new ApiProcess(process, port);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** CPU time the API used so far. */
    Duration cpuTime() {
        return process.cpuTime();
    }

    @Override
    public void close() {
        process.close();
    }
}
