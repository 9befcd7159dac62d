package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders {@code k8s/} with {@code kubectl kustomize} (base, the local overlay, and the base with each
 * component) and checks every document against the strict JSON Schema of its kind, plus the rules the
 * schemas cannot express: settings named as in {@code docs/configuration.md}, the processor's grace period, container
 * hardening, no committed secrets, autoscalers and alerts on metrics the processor really exports.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> SCHEMA_CACHE = new HashMap<>();
    private static final Pattern PLACEHOLDER = Pattern.compile("REPLACE_ME|CHANGE_ME|<[a-z0-9 -]+>");

    /** What is rendered: a name and the kustomization directory. Components render together with the base. */
    private static final Map<String, Path> TARGETS = new LinkedHashMap<>();
    private static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws IOException {
        TARGETS.put("base", K8S.resolve("base"));
        TARGETS.put("overlays/local", K8S.resolve("overlays/local"));
        try (Stream<Path> components = Files.list(K8S.resolve("components"))) {
            for (Path component : components.sorted().toList()) {
                TARGETS.put("components/" + component.getFileName(), withBase(component));
            }
        }
        for (Map.Entry<String, Path> target : TARGETS.entrySet()) {
            RENDERED.put(target.getKey(), kustomize(target.getValue()));
        }
    }

    static Stream<String> targets() {
        return Stream.of("base", "overlays/local", "components/autoscaling-hpa", "components/autoscaling-keda",
                "components/monitoring");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void everyRenderedDocumentMatchesTheStrictSchemaOfItsKind(String target) {
        List<JsonNode> documents = RENDERED.get(target);
        assertThat(documents).as("documents rendered from %s", target).hasSizeGreaterThanOrEqualTo(12);
        for (JsonNode document : documents) {
            assertThat(errors(document)).as("schema errors of %s in %s", describe(document), target).isEmpty();
        }
    }

    @Test
    void theRenderedKindsAreTheExpectedOnes() {
        assertThat(kinds("base")).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Service", "Service",
                "Deployment", "Deployment", "Deployment", "StatefulSet", "PodDisruptionBudget", "PodDisruptionBudget",
                "NetworkPolicy");
        assertThat(kinds("components/autoscaling-hpa")).contains("HorizontalPodAutoscaler").doesNotContain("ScaledObject");
        assertThat(kinds("components/autoscaling-keda")).contains("ScaledObject", "TriggerAuthentication")
                .doesNotContain("HorizontalPodAutoscaler");
        assertThat(kinds("components/monitoring")).contains("ServiceMonitor", "PrometheusRule");
        for (List<JsonNode> documents : RENDERED.values()) {
            assertThat(documents).allSatisfy(document ->
                    assertThat(document.path("metadata").path("namespace").asText()).as(describe(document)).isEqualTo("streamfold"));
        }
    }

    @Test
    void theCommittedSecretExampleMatchesTheSecretSchema() throws IOException {
        List<JsonNode> example = readYaml(K8S.resolve("base/secret.example.yaml"));
        assertThat(example).hasSize(1);
        assertThat(errors(example.get(0))).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsValidation() {
        ObjectNode deployment = deployment("base", "processor").deepCopy();
        assertThat(errors(deployment)).isEmpty();

        ((ObjectNode) deployment.get("spec")).put("replicass", 3);
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("readinessProbee", container.get("readinessProbe"));

        assertThat(errors(deployment)).extracting(Error::toString)
                .anySatisfy(error -> assertThat(error).contains("replicass"))
                .anySatisfy(error -> assertThat(error).contains("readinessProbee"));
    }

    @Test
    void aMisspeltFieldInACustomResourceFailsValidation() {
        ObjectNode scaledObject = (ObjectNode) only("components/autoscaling-keda", "ScaledObject").deepCopy();
        assertThat(errors(scaledObject)).isEmpty();

        ObjectNode misspelt = scaledObject.deepCopy();
        misspelt.set("specc", misspelt.get("spec"));
        ((ObjectNode) misspelt.get("metadata")).put("labells", "x");
        ((ObjectNode) misspelt.get("spec")).put("maxReplicaCountt", 3);
        assertThat(errors(misspelt)).extracting(Error::toString)
                .anySatisfy(error -> assertThat(error).contains("specc"))
                .anySatisfy(error -> assertThat(error).contains("labells"))
                .anySatisfy(error -> assertThat(error).contains("maxReplicaCountt"));
    }

    @Test
    void aKindWithoutASchemaFailsValidation() {
        ObjectNode namespace = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        namespace.putObject("metadata").put("name", "streamfold");
        assertThatThrownBy(() -> errors(namespace)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no schema for v1 Namespace");
    }

    @Test
    void everyStreamfoldVariableIsAPropertyOfTheDocumentedConfigurationTable() throws IOException {
        Set<String> known = documentedEnvironmentVariables();
        assertThat(known).contains("STREAMFOLD_REDIS_URL", "STREAMFOLD_CONSUMER_BATCH_SIZE", "STREAMFOLD_SCHEMA_USER_FIELD",
                "STREAMFOLD_PRODUCER_USERS", "STREAMFOLD_ACCESS_KEYS_");
        Set<String> used = new TreeSet<>();
        for (List<JsonNode> documents : RENDERED.values()) {
            for (JsonNode document : documents) {
                if (document.path("kind").asText().equals("ConfigMap")) {
                    document.path("data").fieldNames().forEachRemaining(used::add);
                }
                for (JsonNode container : containers(document)) {
                    container.path("env").forEach(env -> used.add(env.path("name").asText()));
                }
            }
        }
        Set<String> streamfold = new TreeSet<>(used.stream().filter(name -> name.startsWith("STREAMFOLD_")).toList());
        assertThat(streamfold).contains("STREAMFOLD_REDIS_URL", "STREAMFOLD_REDIS_PASSWORD", "STREAMFOLD_ACCESS_KEYS_INGEST",
                "STREAMFOLD_CONSUMER_DRAIN_TIMEOUT");
        assertThat(streamfold).allSatisfy(name -> assertThat(known.contains(name)
                        || name.startsWith("STREAMFOLD_ACCESS_KEYS_") && name.length() > "STREAMFOLD_ACCESS_KEYS_".length())
                .as("%s is a property of the Properties table of docs/configuration.md", name).isTrue());
        assertThat(configMap("base").path("data").path("STREAMFOLD_REDIS_URL").asText()).isEqualTo("redis://redis:6379");
        assertThat(configMap("overlays/local").path("data").path("STREAMFOLD_REDIS_URL").asText()).isEqualTo("redis://redis:6379");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void processorGracePeriodOutlastsItsDrainTimeout(String target) throws IOException {
        Duration drain = parseDuration(configMap(target).path("data").path("STREAMFOLD_CONSUMER_DRAIN_TIMEOUT").asText(documentedDefault("streamfold.consumer.drain-timeout")));
        long grace = deployment(target, "processor").at("/spec/template/spec/terminationGracePeriodSeconds").asLong(30);
        assertThat(drain).isEqualTo(Duration.ofSeconds(10));
        assertThat(Duration.ofSeconds(grace)).as("terminationGracePeriodSeconds").isGreaterThan(drain.plusSeconds(10));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void everyContainerRunsAsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities(String target) {
        List<JsonNode> workloads = RENDERED.get(target).stream().filter(document -> !containers(document).isEmpty()).toList();
        assertThat(workloads).extracting(KubernetesManifestsTest::describe)
                .containsExactlyInAnyOrder("Deployment/processor", "Deployment/api", "Deployment/producer", "StatefulSet/redis");
        for (JsonNode workload : workloads) {
            JsonNode pod = workload.at("/spec/template/spec");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(describe(workload)).isFalse();
            for (JsonNode container : containers(workload)) {
                String what = describe(workload) + " container " + container.path("name").asText();
                JsonNode security = container.path("securityContext");
                assertThat(security.path("runAsNonRoot").asBoolean(false)).as(what + " runAsNonRoot").isTrue();
                assertThat(security.path("runAsUser").isIntegralNumber()).as(what + " numeric runAsUser").isTrue();
                assertThat(security.path("runAsUser").asLong()).as(what + " runAsUser").isPositive();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as(what + " readOnlyRootFilesystem").isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(what + " allowPrivilegeEscalation").isFalse();
                assertThat(security.at("/capabilities/drop").toString()).as(what + " drops").isEqualTo("[\"ALL\"]");
                assertThat(security.at("/seccompProfile/type").asText()).as(what + " seccomp").isEqualTo("RuntimeDefault");
                assertThat(container.at("/resources/requests/memory").isMissingNode()).as(what + " memory request").isFalse();
                assertThat(container.at("/resources/limits/memory").isMissingNode()).as(what + " memory limit").isFalse();
                String tmpVolume = mountedAt(container, "/tmp");
                assertThat(tmpVolume).as(what + " has a volume at /tmp").isNotNull();
                assertThat(volume(pod, tmpVolume).has("emptyDir")).as(what + " /tmp is an emptyDir").isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void httpServicesProbeQuarkusHealthOnTheirPort(String target) {
        Map<String, Integer> ports = Map.of("processor", 8081, "api", 8080);
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            JsonNode container = deployment(target, service.getKey()).at("/spec/template/spec/containers/0");
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(service.getValue());
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
            JsonNode svc = RENDERED.get(target).stream()
                    .filter(document -> describe(document).equals("Service/" + service.getKey())).findFirst().orElseThrow();
            assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(service.getValue());
        }
        assertThat(deployment("overlays/local", "processor").at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment("base", "processor").at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment("overlays/local", "processor").at("/spec/template/spec/containers/0/imagePullPolicy").asText())
                .isEqualTo("IfNotPresent");
        assertThat(deployment("base", "processor").at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("streamfold/processor:0.1.0");
    }

    @Test
    void redisFreesExpiredWindowsOffItsMainThreadAndKeepsMinuteBinsAsHashTables() {
        List<String> args = new ArrayList<>();
        only("base", "StatefulSet").at("/spec/template/spec/containers/0/args").forEach(arg -> args.add(arg.asText()));

        // the settings test-support's RedisOptions.DEPLOYED_SETTINGS gives the tests' and benchmarks' servers
        assertThat(args).containsSequence("--lazyfree-lazy-expire", "yes").containsSequence("--hash-max-listpack-entries", "128");
    }

    @Test
    void redisPersistsWithAppendOnlyFileOnAVolumeAndOnlyTheFleetReachesIt() {
        JsonNode redis = only("base", "StatefulSet");
        assertThat(redis.at("/spec/template/spec/containers/0/args").toString()).contains("\"--appendonly\",\"yes\"");
        assertThat(redis.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("data");
        assertThat(mountedAt(redis.at("/spec/template/spec/containers/0"), "/data")).isEqualTo("data");
        JsonNode policy = only("base", "NetworkPolicy");
        assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("redis");
        assertThat(policy.at("/spec/ingress/0/from/0/podSelector/matchExpressions/0/values").toString())
                .isEqualTo("[\"processor\",\"api\",\"producer\"]");
        assertThat(policy.at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(6379);
    }

    @Test
    void noSecretIsCommittedInClear() throws IOException {
        for (Map.Entry<String, List<JsonNode>> target : RENDERED.entrySet()) {
            assertThat(kinds(target.getKey())).as(target.getKey()).doesNotContain("Secret");
        }
        List<Path> yamlFiles;
        try (Stream<Path> files = Files.walk(K8S)) {
            yamlFiles = files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml")).toList();
        }
        int secrets = 0;
        for (Path file : yamlFiles) {
            for (JsonNode document : readYaml(file)) {
                if (document.path("kind").asText().equals("Secret")) {
                    secrets++;
                    for (String field : List.of("data", "stringData")) {
                        document.path(field).fields().forEachRemaining(entry ->
                                assertThat(entry.getValue().asText()).as("%s: %s.%s", K8S.relativize(file), field, entry.getKey())
                                        .matches(PLACEHOLDER));
                    }
                }
                document.path("secretGenerator").forEach(generator -> assertThat(generator.has("literals"))
                        .as("%s: a secretGenerator with literals commits the secret", K8S.relativize(file)).isFalse());
            }
        }
        assertThat(secrets).as("the committed example Secret").isEqualTo(1);
    }

    @Test
    void bothAutoscalersScaleTheProcessorOnTheConsumerGroupsBacklog() throws IOException {
        JsonNode hpa = only("components/autoscaling-hpa", "HorizontalPodAutoscaler");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("processor");
        Set<String> hpaMetrics = new TreeSet<>();
        hpa.at("/spec/metrics").forEach(metric -> hpaMetrics.add(metric.at("/external/metric/name").asText()));
        assertThat(hpaMetrics).containsExactly("streamfold_group_lag", "streamfold_group_pending");
        assertThat(deployment("components/autoscaling-hpa", "processor").at("/spec/replicas").isMissingNode())
                .as("the autoscaler owns the processor's replica count").isTrue();

        Map<String, String> adapterMetrics = new LinkedHashMap<>();
        for (JsonNode rule : readYaml(K8S.resolve("prometheus-adapter/rules.yaml")).get(0).at("/rules/external")) {
            Matcher series = Pattern.compile("^(\\w+)\\{").matcher(rule.path("seriesQuery").asText());
            assertThat(series.find()).isTrue();
            adapterMetrics.put(rule.at("/name/as").asText(), series.group(1));
        }
        assertThat(adapterMetrics).containsExactlyInAnyOrderEntriesOf(Map.of(
                "streamfold_group_pending", "processor_group_pending", "streamfold_group_lag", "processor_group_lag"));
        assertThat(documentedProcessorMetrics()).containsAll(adapterMetrics.values());

        JsonNode scaledObject = only("components/autoscaling-keda", "ScaledObject");
        assertThat(scaledObject.at("/spec/scaleTargetRef/name").asText()).isEqualTo("processor");
        Set<String> kedaThresholds = new TreeSet<>();
        for (JsonNode trigger : scaledObject.at("/spec/triggers")) {
            assertThat(trigger.path("type").asText()).isEqualTo("redis-streams");
            assertThat(trigger.at("/metadata/stream").asText()).isEqualTo("{events}");
            assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo("aggregators");
            assertThat(trigger.at("/metadata/address").asText()).isEqualTo("redis.streamfold.svc.cluster.local:6379");
            assertThat(trigger.at("/authenticationRef/name").asText()).isEqualTo("streamfold-redis");
            trigger.path("metadata").fieldNames().forEachRemaining(kedaThresholds::add);
        }
        assertThat(kedaThresholds).contains("pendingEntriesCount", "lagCount");
        JsonNode auth = only("components/autoscaling-keda", "TriggerAuthentication");
        assertThat(auth.at("/spec/secretTargetRef/0/name").asText()).isEqualTo("streamfold-secrets");
        assertThat(auth.at("/spec/secretTargetRef/0/key").asText()).isEqualTo("redis-password");
    }

    @Test
    void noKustomizationAppliesBothAutoscalers() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(file -> file.getFileName().toString().equals("kustomization.yaml")).toList()) {
                String text = Files.readString(file);
                assertThat(text.contains("autoscaling-hpa") && text.contains("autoscaling-keda"))
                        .as("%s uses both autoscaling components", K8S.relativize(file)).isFalse();
            }
        }
    }

    @Test
    void alertsUseOnlyMetricsTheProcessorExports() throws IOException {
        JsonNode rule = only("components/monitoring", "PrometheusRule");
        Set<String> alerts = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        Pattern metric = Pattern.compile("\\bprocessor_[a-z_]+");
        for (JsonNode alert : rule.at("/spec/groups/0/rules")) {
            alerts.add(alert.path("alert").asText());
            Matcher matcher = metric.matcher(alert.path("expr").asText());
            while (matcher.find()) {
                metrics.add(matcher.group().replaceFirst("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(alerts).containsExactlyInAnyOrder("StreamFoldApiFailing", "StreamFoldLagGrowing", "StreamFoldPendingHigh",
                "StreamFoldDeadLettersIncreasing", "StreamFoldProcessorDown", "StreamFoldRedisUnreachable",
                "StreamFoldEventLatencyHigh", "StreamFoldCommitRefused", "StreamFoldCommitsFailing", "StreamFoldSettlingRefused", "StreamFoldTrimmingFailing",
                "StreamFoldStreamRetained");
        assertThat(metrics).containsExactlyInAnyOrder("processor_group_lag", "processor_group_pending", "processor_events_total",
                "processor_redis_disconnects_total", "processor_redis_reconnect_attempts_total", "processor_event_latency_seconds",
                "processor_errors_total", "processor_stream_entries", "processor_commit_refused");
        assertThat(documentedProcessorMetrics()).containsAll(metrics);

        JsonNode monitor = only("components/monitoring", "ServiceMonitor");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/selector/matchExpressions/0/values").toString()).isEqualTo("[\"api\",\"processor\"]");
    }

    // --- validation ---------------------------------------------------------------------------

    /** Schema errors of one document; fails when no schema is vendored for its kind. */
    static List<Error> errors(JsonNode document) {
        try {
            return schemaFor(document.path("apiVersion").asText(), document.path("kind").asText())
                    .validate(JSON.writeValueAsString(document), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Schema schemaFor(String apiVersion, String kind) throws IOException {
        String key = apiVersion + " " + kind;
        Schema cached = SCHEMA_CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        boolean custom = group.contains(".") && !group.endsWith(".k8s.io");
        String resource = custom
                ? "/schemas/crds/" + group + "/" + kind.toLowerCase() + "_" + version + ".json"
                : "/schemas/kubernetes/v1.35-standalone-strict/" + kind.toLowerCase()
                        + (group.isEmpty() ? "" : "-" + group.split("\\.")[0]) + "-" + version + ".json";
        ObjectNode schema = (ObjectNode) readSchema(resource, key);
        schema.remove("$schema");
        if (custom) {
            // The CRD catalog closes spec but not the top level, and metadata is a bare object.
            schema.put("additionalProperties", false);
            ((ObjectNode) schema.get("properties")).set("metadata",
                    readSchema("/schemas/kubernetes/v1.35-standalone-strict/configmap-v1.json", key).at("/properties/metadata"));
        }
        Schema compiled = SCHEMAS.getSchema(JSON.writeValueAsString(schema), InputFormat.JSON);
        SCHEMA_CACHE.put(key, compiled);
        return compiled;
    }

    private static JsonNode readSchema(String resource, String kind) throws IOException {
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                fail("no schema for " + kind + ": expected " + resource + " in src/test/resources (see schemas/kubernetes/README.md)");
            }
            return JSON.readTree(in);
        }
    }

    // --- rendering ----------------------------------------------------------------------------

    /** A kustomization under target/ that applies one component to the base, as a user's overlay would. */
    private static Path withBase(Path component) throws IOException {
        Path dir = ROOT.resolve("deploy-tests/target/kustomize").resolve(component.getFileName().toString());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "namespace: streamfold",
                "resources:",
                "  - " + dir.relativize(K8S.resolve("base")),
                "components:",
                "  - " + dir.relativize(component),
                ""));
        return dir;
    }

    private static List<JsonNode> kustomize(Path dir) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is not on the PATH: the Kubernetes manifests are rendered with "
                    + "`kubectl kustomize` (kubectl 1.27+, kustomize v5, for components). Install kubectl; Debian's "
                    + "kubernetes-client (1.20, kustomize v2) cannot render components. (" + e.getMessage() + ")");
        }
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + ROOT.relativize(dir) + " failed: " + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
        return readYaml(new String(stdout, StandardCharsets.UTF_8));
    }

    private static List<JsonNode> readYaml(Path file) throws IOException {
        return readYaml(Files.readString(file));
    }

    private static List<JsonNode> readYaml(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    // --- docs/ ------------------------------------------------------------------------------------

    /** Environment variable names of the table in docs/configuration.md; a {@code <name>} suffix leaves a prefix. */
    private static Set<String> documentedEnvironmentVariables() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String cell : configurationTable().keySet()) {
            String parent = null;
            Matcher property = Pattern.compile("`([^`]+)`").matcher(cell);
            while (property.find()) {
                String name = property.group(1);
                if (name.startsWith("streamfold.")) {
                    parent = name.substring(0, name.lastIndexOf('.') + 1);
                } else if (parent != null) {
                    name = parent + name;
                } else {
                    continue;
                }
                names.add(name.replace("<name>", "").toUpperCase().replaceAll("[.-]", "_"));
            }
        }
        return names;
    }

    private static String documentedDefault(String property) throws IOException {
        String row = configurationTable().get("`" + property + "`");
        assertThat(row).as("docs/configuration.md row of %s", property).isNotNull();
        Matcher value = Pattern.compile("`([^`]+)`").matcher(row);
        assertThat(value.find()).isTrue();
        return value.group(1);
    }

    /** First cell → second cell of each row of the {@code ## Properties} table of {@code docs/configuration.md}. */
    private static Map<String, String> configurationTable() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section("docs/configuration.md", "## Properties")) {
            if (line.startsWith("| `streamfold.")) {
                String[] cells = line.split("(?<!\\\\)\\|");
                rows.put(cells[1].trim(), cells[2].trim());
            }
        }
        return rows;
    }

    private static Set<String> documentedProcessorMetrics() throws IOException {
        Set<String> metrics = new TreeSet<>();
        for (String line : section("docs/operations.md", "### Processor metrics")) {
            Matcher metric = Pattern.compile("`(processor_[a-z_]+)").matcher(line.split("\\|").length > 1 ? line.split("\\|")[1] : "");
            while (metric.find()) {
                metrics.add(metric.group(1));
            }
        }
        return metrics;
    }

    private static List<String> section(String file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(file));
        int start = lines.indexOf(heading);
        assertThat(start).as("%s heading %s", file, heading).isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).matches("#{1," + heading.indexOf(' ') + "} .*")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    // --- navigation ---------------------------------------------------------------------------

    private static List<String> kinds(String target) {
        return RENDERED.get(target).stream().map(document -> document.path("kind").asText()).toList();
    }

    private static JsonNode only(String target, String kind) {
        List<JsonNode> found = RENDERED.get(target).stream().filter(document -> document.path("kind").asText().equals(kind)).toList();
        assertThat(found).as("%s in %s", kind, target).hasSize(1);
        return found.get(0);
    }

    private static JsonNode configMap(String target) {
        return only(target, "ConfigMap");
    }

    private static ObjectNode deployment(String target, String name) {
        return (ObjectNode) RENDERED.get(target).stream().filter(document -> describe(document).equals("Deployment/" + name))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment " + name + " in " + target));
    }

    private static List<JsonNode> containers(JsonNode document) {
        List<JsonNode> containers = new ArrayList<>();
        JsonNode pod = document.at("/spec/template/spec");
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        return containers;
    }

    private static String mountedAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount.path("name").asText();
            }
        }
        return null;
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static Duration parseDuration(String text) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        assertThat(matcher.matches()).as("a duration like 10s: %s", text).isTrue();
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static String describe(JsonNode document) {
        return document.path("kind").asText() + "/" + document.at("/metadata/name").asText();
    }
}
