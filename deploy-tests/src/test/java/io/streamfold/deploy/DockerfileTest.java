package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each application's {@code src/main/docker/Dockerfile.jvm}: the Quarkus fast-jar layout, a numeric non-root
 * user, and, for the HTTP services, the port from the module's {@code quarkus.http.port} exposed and probed.
 * Read, not built: the build machine has no Docker engine.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"producer", "processor", "api"})
    void runsAsANumericNonRootUser(String module) throws IOException {
        String user = dockerfile(module).user();

        assertThat(user).as("USER").isNotNull().matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).as("uid").isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"producer", "processor", "api"})
    void copiesTheFastJarLayoutAndRunsItWithTunableJavaOpts(String module) throws IOException {
        Dockerfile dockerfile = dockerfile(module);

        assertThat(dockerfile.all("FROM")).containsExactly("eclipse-temurin:17-jre");
        assertThat(dockerfile.all("COPY").stream().map(c -> c.split("\\s+")[0]).toList()).containsExactly(
                "target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/");
        assertThat(dockerfile.all("ENTRYPOINT")).singleElement().asString()
                .contains("exec java", "$JAVA_OPTS", "-jar /deployments/quarkus-run.jar");
        assertThat(ROOT.resolve(module + "/.dockerignore")).content().contains("!target/quarkus-app/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"producer", "processor", "api"})
    void exposesAndProbesTheHttpPortOfServicesThatHaveOne(String module) throws IOException {
        Dockerfile dockerfile = dockerfile(module);
        String port = httpPort(module);

        if (port == null) {
            // The producer is a command-line application: nothing to expose or probe.
            assertThat(dockerfile.all("EXPOSE")).isEmpty();
            assertThat(dockerfile.all("HEALTHCHECK")).isEmpty();
        } else {
            assertThat(dockerfile.all("EXPOSE")).containsExactly(port);
            assertThat(dockerfile.all("HEALTHCHECK")).singleElement().asString()
                    .contains("http://localhost:" + port + "/q/health/ready");
        }
    }

    private static Dockerfile dockerfile(String module) throws IOException {
        return Dockerfile.parse(ROOT.resolve(module + "/src/main/docker/Dockerfile.jvm"));
    }

    private static String httpPort(String module) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(module + "/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("quarkus.http.port");
    }
}
