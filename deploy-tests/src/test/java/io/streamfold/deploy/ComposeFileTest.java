package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code docker-compose.yml} against the Compose Specification's schema (vendored under
 * {@code schemas/compose/}), and against what {@code docs/}, the Dockerfiles and {@code .env.example} say.
 * No Docker engine is needed: nothing is built or started.
 */
class ComposeFileTest {

    private static final String SCHEMA = "classpath:schemas/compose/compose-spec.json";
    /** Variable names whose values are secrets: they must come from the environment (.env). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|KEY|SECRET|TOKEN|AUTH).*");
    /** {@code ${NAME}} or {@code ${NAME:?message}}: a reference with no default that could hold a secret. */
    private static final Pattern REFERENCE_WITHOUT_DEFAULT = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?\\?[^}]*)?}");
    /** An interpolation ({@code ${NAME…}}), not an escaped {@code $${…}} that the container's shell expands. */
    private static final Pattern INTERPOLATION = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?}");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|h|m|s)");
    private static final Duration DRAIN_MARGIN = Duration.ofSeconds(5);

    private static Path root;
    private static String composeText;
    private static JsonNode compose;
    private static Schema schema;
    private static DocsConfiguration documented;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        compose = new YAMLMapper().readTree(composeText);
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(SchemaLocation.of(SCHEMA));
        documented = DocsConfiguration.read(root);
    }

    @Test
    void composeFileFollowsTheComposeSpecification() throws IOException {
        assertThat(validate(compose)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource({
        "/services/processor/deploy, replicass, 3",
        "/services/api/healthcheck, intervall, 10s",
        "/services/redis, volume, redis-data:/data",
        "/services/processor, stop_grace_period, 20",
        "/services/api/depends_on/redis, condition, 7",
    })
    void schemaRejectsAPlantedMistake(String pointer, String key, String value) throws IOException {
        JsonNode broken = compose.deepCopy();
        ((ObjectNode) broken.at(pointer)).set(key, new YAMLMapper().readTree(value));

        assertThat(validate(broken)).isNotEmpty()
                .anySatisfy(error -> assertThat(error.toString()).contains(key));
    }

    @Test
    void everyStreamfoldVariableIsAPropertyTheDocsDocumentForThatService() {
        List<String> undocumented = new ArrayList<>();
        services().forEach((service, definition) -> environment(definition).keySet().stream()
                .filter(name -> name.startsWith("STREAMFOLD_"))
                .forEach(name -> documented.forEnvironmentVariable(name).ifPresentOrElse(
                        setting -> {
                            if (!setting.readBy(service)) {
                                undocumented.add(service + ": " + name + " (" + setting.property() + " is read by "
                                        + setting.services() + ")");
                            }
                        },
                        () -> undocumented.add(service + ": " + name + " (no such property in " + DocsConfiguration.FILE + ")"))));

        assertThat(undocumented).isEmpty();
        assertThat(environment(services().get("api"))).containsKey("STREAMFOLD_ACCESS_KEYS_COMPOSE");
        assertThat(documented.forEnvironmentVariable("STREAMFOLD_ACCESS_KEYS_COMPOSE").orElseThrow().property())
                .isEqualTo("streamfold.access.keys.<name>");
    }

    @Test
    void secretsAreReferencesToTheEnvironmentNeverValues() {
        List<String> inClear = new ArrayList<>();
        services().forEach((service, definition) -> environment(definition).forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches() && !isFlag(name)
                    && !REFERENCE_WITHOUT_DEFAULT.matcher(value).matches()) {
                inClear.add(service + ": " + name + "=" + value);
            }
        }));
        assertThat(inClear).isEmpty();
        // Redis's password reaches the server from its environment, not as a literal argument.
        assertThat(commandLine(services().get("redis"), "command")).contains("--requirepass \"$$REDISCLI_AUTH\"");
    }

    @Test
    void everyRequiredVariableHasAPlaceholderInEnvExample() throws IOException {
        Set<String> required = new TreeSet<>();
        Set<String> referenced = new TreeSet<>();
        Matcher m = INTERPOLATION.matcher(composeText);
        while (m.find()) {
            referenced.add(m.group(1));
            if (m.group(2) == null || m.group(2).matches(":?\\?.*")) {
                required.add(m.group(1));
            }
        }
        Properties example = new Properties();
        try (InputStream in = Files.newInputStream(root.resolve(".env.example"))) {
            example.load(in);
        }

        assertThat(required).containsExactlyInAnyOrder(
                "STREAMFOLD_REDIS_PASSWORD", "STREAMFOLD_API_KEY", "GRAFANA_ADMIN_PASSWORD");
        assertThat(example.stringPropertyNames()).containsAll(required);
        assertThat(referenced).containsAll(example.stringPropertyNames());
        assertThat(example.getProperty("STREAMFOLD_API_KEY")).hasSizeGreaterThanOrEqualTo(16);
        assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains(".env");
    }

    @Test
    void servicesStartOnlyOnceWhatTheyNeedIsHealthy() {
        List<String> unhealthyDependencies = new ArrayList<>();
        services().forEach((service, definition) -> definition.path("depends_on").properties().forEach(d -> {
            if (d.getValue().path("condition").asText().equals("service_healthy")
                    && !services().get(d.getKey()).has("healthcheck")) {
                unhealthyDependencies.add(service + " waits for " + d.getKey() + ", which has no healthcheck");
            }
        }));

        assertThat(unhealthyDependencies).isEmpty();
        for (String service : List.of("producer", "processor", "api")) {
            assertThat(services().get(service).at("/depends_on/redis/condition").asText())
                    .as(service).isEqualTo("service_healthy");
        }
        assertThat(commandLine(services().get("redis").get("healthcheck"), "test")).contains("redis-cli ping");
        assertThat(commandLine(services().get("redis"), "command")).contains("redis-server --appendonly yes");
    }

    @Test
    void redisFreesExpiredWindowsOffItsMainThreadAndKeepsMinuteBinsAsHashTables() {
        // the settings test-support's RedisOptions.DEPLOYED_SETTINGS gives the tests' and benchmarks' servers
        assertThat(commandLine(services().get("redis"), "command"))
                .contains("--lazyfree-lazy-expire yes --hash-max-listpack-entries 128");
    }

    @Test
    void httpServicesAreCheckedOnTheirReadinessEndpoint() throws IOException {
        for (String service : List.of("processor", "api")) {
            String port = httpPort(service);
            assertThat(commandLine(services().get(service).get("healthcheck"), "test"))
                    .as(service).contains("http://localhost:" + port + "/q/health/ready");
        }
        assertThat(services().get("api").get("ports").get(0).asText()).endsWith(":8080");
    }

    @Test
    void processorRunsThreeReplicasWithoutHostPortsAndOutlastsItsDrain() {
        JsonNode processor = services().get("processor");
        String drain = environment(processor).getOrDefault("STREAMFOLD_CONSUMER_DRAIN_TIMEOUT",
                documented.forProperty("streamfold.consumer.drain-timeout").defaultValue());

        assertThat(processor.at("/deploy/replicas").asInt()).isEqualTo(3);
        assertThat(processor.has("ports")).isFalse();
        assertThat(processor.has("container_name")).isFalse();
        assertThat(duration(processor.get("stop_grace_period").asText()))
                .isGreaterThanOrEqualTo(duration(drain).plus(DRAIN_MARGIN));
    }

    @Test
    void everyServiceRunsAsANumericNonRootUser() {
        services().forEach((service, definition) ->
                assertThat(definition.path("user").asText()).as(service).matches("[1-9][0-9]*(:[0-9]+)?"));
    }

    @Test
    void everyBuiltServiceHasADockerfileWithANonRootUser() throws IOException {
        List<String> built = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : services().entrySet()) {
            JsonNode build = service.getValue().get("build");
            if (build == null) {
                continue;
            }
            built.add(service.getKey());
            Path dockerfile = root.resolve(build.get("context").asText()).resolve(build.get("dockerfile").asText());
            assertThat(dockerfile).as(service.getKey()).isRegularFile();
            assertThat(Dockerfile.parse(dockerfile).user()).as(dockerfile.toString()).matches("[1-9][0-9]*(:[0-9]+)?");
            assertThat(build.get("context").asText()).isEqualTo("./" + service.getKey());
        }
        assertThat(built).containsExactlyInAnyOrder("producer", "processor", "api");
    }

    @Test
    void everyMountedRepositoryFileExists() {
        List<String> sources = new ArrayList<>();
        services().values().forEach(definition -> definition.path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            if (source.startsWith("./")) {
                sources.add(source);
            }
        }));

        assertThat(sources).containsExactlyInAnyOrder("./prometheus/prometheus.yml", "./prometheus/rules", "./grafana/provisioning");
        assertThat(root.resolve("prometheus/prometheus.yml")).isRegularFile();
        assertThat(root.resolve("prometheus/rules")).isDirectory();
        assertThat(root.resolve("grafana/provisioning")).isDirectory();
    }

    private static List<Error> validate(JsonNode document) throws IOException {
        return schema.validate(new ObjectMapper().writeValueAsString(document), InputFormat.JSON);
    }

    private static Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        compose.get("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** A service's environment as a map (this file uses the map form, not {@code - NAME=value}). */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        assertThat(node.isMissingNode() || node.isObject()).as("environment as a map").isTrue();
        node.properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        return environment;
    }

    /** A command given as a string or as a list, as one line. */
    private static String commandLine(JsonNode parent, String field) {
        JsonNode command = parent.get(field);
        if (command.isTextual()) {
            return command.asText();
        }
        List<String> words = new ArrayList<>();
        command.forEach(word -> words.add(word.asText()));
        return String.join(" ", words);
    }

    /** A documented true/false setting (e.g. {@code STREAMFOLD_ACCESS_KEYS_FOR_READS}) holds no secret. */
    private static boolean isFlag(String name) {
        return documented.forEnvironmentVariable(name)
                .map(s -> !s.isMapEntry() && ("true".equals(s.defaultValue()) || "false".equals(s.defaultValue())))
                .orElse(false);
    }

    /** The module's {@code quarkus.http.port} from its application.properties. */
    private static String httpPort(String module) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(root.resolve(module + "/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String port = properties.getProperty("quarkus.http.port");
        assertThat(port).as(module + " quarkus.http.port").isNotNull();
        return port;
    }

    /** A Compose or Quarkus duration such as {@code 10s}, {@code 1m30s} or {@code 500ms}. */
    private static Duration duration(String text) {
        assertThat(text).matches("(\\d+(ms|h|m|s))+");
        Duration total = Duration.ZERO;
        Matcher m = DURATION_PART.matcher(text);
        while (m.find()) {
            long amount = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return total;
    }
}
