package io.streamfold.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis 7 in a container (Testcontainers), published on a fixed free loopback port so a restarted
 * container keeps its address.
 */
final class ContainerRedisServer implements RedisServer {

    private static final String IMAGE = "redis:7";
    private static final int REDIS_PORT = 6379;

    private final int port;
    private final GenericContainer<?> container;

    @SuppressWarnings("resource")
    ContainerRedisServer(RedisOptions options) {
        this.port = FreePort.pick();
        List<String> command = new ArrayList<>(List.of("redis-server", "--save", ""));
        command.addAll(RedisOptions.DEPLOYED_SETTINGS);
        command.addAll(options.persistence().arguments());
        this.container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(REDIS_PORT)
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(new PortBinding(
                        Ports.Binding.bindIpAndPort("127.0.0.1", port), new ExposedPort(REDIS_PORT))))
                .withStartupTimeout(Duration.ofSeconds(60));
        container.start();
    }

    /** Whether a Docker engine answers; cheap when there is obviously none. */
    static boolean dockerAvailable() {
        boolean hinted = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!hinted) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public boolean controllable() {
        return true;
    }

    @Override
    public void restart() {
        docker().restartContainerCmd(container.getContainerId()).exec();
        awaitPong();
    }

    @Override
    public void kill() {
        docker().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        awaitPong();
    }

    @Override
    public String command(String... args) {
        return Resp.command(host(), port, null, null, args);
    }

    @Override
    public void close() {
        container.stop();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            LocalRedisServer.pause(50);
        }
        throw new IllegalStateException("Redis container on port " + port + " did not answer PING within 30s");
    }
}
