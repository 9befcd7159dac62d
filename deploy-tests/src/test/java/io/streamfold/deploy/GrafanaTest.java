package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Grafana's provisioning ({@code grafana/provisioning/}) as docker-compose.yml mounts it: the datasource,
 * the dashboard provider, and every dashboard against the Grafana dashboard schema (vendored under
 * {@code schemas/grafana/}), the provisioned datasource uid, the metrics of {@code docs/operations.md} and
 * {@code promtool}'s PromQL parser. Nothing is started: whether each expression returns data is left to a live fleet.
 */
class GrafanaTest {

    private static final String SCHEMA = "classpath:schemas/grafana/dashboard.jsonschema.json";
    private static final String PROMETHEUS_UID = "streamfold-prometheus";
    /** JVM and HTTP-server metrics Quarkus' Micrometer binders export, beyond the documented processor metrics. */
    private static final Set<String> STANDARD_METRICS = Set.of("up", "process_cpu_usage", "jvm_memory_used_bytes");
    /** The series Micrometer adds to a timer's or distribution summary's name. */
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");
    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\\w:])(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    /** Grafana's own interval variables, and dashboard variables; both replaced before promtool sees an expression. */
    private static final Pattern GRAFANA_INTERVAL = Pattern.compile("\\$\\{?__(rate_interval|interval|range)}?");
    private static final Pattern DASHBOARD_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)(:[a-z]+)?}?");

    private static Path root;
    private static Path provisioning;
    private static Map<String, String> datasourceTypes;
    private static JsonNode provider;
    private static Map<String, JsonNode> dashboards;
    private static Schema schema;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
        provisioning = root.resolve("grafana/provisioning");
        YAMLMapper yaml = new YAMLMapper();
        datasourceTypes = new TreeMap<>();
        for (Path file : files(provisioning.resolve("datasources"), ".yml")) {
            yaml.readTree(file.toFile()).path("datasources")
                    .forEach(ds -> datasourceTypes.put(ds.path("uid").asText(), ds.path("type").asText()));
        }
        List<Path> providerFiles = files(provisioning.resolve("dashboards"), ".yml");
        assertThat(providerFiles).extracting(p -> p.getFileName().toString()).containsExactly("streamfold.yml");
        provider = yaml.readTree(providerFiles.get(0).toFile()).path("providers").path(0);
        dashboards = new TreeMap<>();
        for (Path file : files(hostPath(provider.at("/options/path").asText()), ".json")) {
            dashboards.put(file.getFileName().toString(), new ObjectMapper().readTree(file.toFile()));
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(SchemaLocation.of(SCHEMA));
    }

    // --- provisioning -------------------------------------------------------------------------

    @Test
    void prometheusIsTheOnlyDatasourceWithAFixedUidAndTheComposeServiceAsUrl() throws IOException {
        JsonNode datasources = new YAMLMapper().readTree(provisioning.resolve("datasources/prometheus.yml").toFile())
                .path("datasources");
        JsonNode prometheus = datasources.get(0);

        assertThat(datasources).hasSize(1);
        assertThat(prometheus.path("uid").asText()).isEqualTo(PROMETHEUS_UID);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
        assertThat(compose().at("/services/prometheus/ports/0").asText()).endsWith(":9090");
    }

    @Test
    void providerReadsTheFolderWhereTheDashboardsAreAsComposeMountsIt() throws IOException {
        Path folder = hostPath(provider.at("/options/path").asText());
        List<String> everyDashboardFile;
        try (Stream<Path> walk = Files.walk(root.resolve("grafana"))) {
            everyDashboardFile = walk.filter(p -> p.toString().endsWith(".json")).map(p -> root.relativize(p).toString()).sorted().toList();
        }

        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(folder).isEqualTo(root.resolve("grafana/provisioning/dashboards/json"));
        assertThat(everyDashboardFile).containsExactly("grafana/provisioning/dashboards/json/business.json",
                "grafana/provisioning/dashboards/json/fleet-overview.json", "grafana/provisioning/dashboards/json/redis.json");
    }

    // --- dashboards ---------------------------------------------------------------------------

    @Test
    void everyDashboardFollowsTheGrafanaDashboardSchema() throws IOException {
        Map<String, List<String>> errors = new TreeMap<>();
        for (Map.Entry<String, JsonNode> dashboard : dashboards.entrySet()) {
            List<String> found = validate(dashboard.getValue()).stream().map(Error::toString).toList();
            if (!found.isEmpty()) {
                errors.put(dashboard.getKey(), found);
            }
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = ';', value = {
        "/panels/1; gridPos; '\"0 0 12 8\"'",
        "/panels/1; datasource; '\"streamfold-prometheus\"'",
        "/panels/1/gridPos; w; 25",
        "/panels/0; collapsed; '\"no\"'",
        "/templating/list/0; refresh; 3",
        "; schemaVersion; '\"39\"'",
    })
    void schemaRejectsAPlantedMistake(String pointer, String key, String value) throws IOException {
        JsonNode broken = dashboards.get("fleet-overview.json").deepCopy();
        ((ObjectNode) broken.at(pointer == null ? "" : pointer)).set(key, new ObjectMapper().readTree(value));

        assertThat(validate(broken)).isNotEmpty().anySatisfy(error -> assertThat(error.toString()).contains(key));
    }

    @Test
    void dashboardsHaveFixedUniqueUidsAndUniquePanelIds() {
        Map<String, String> uids = new TreeMap<>();
        dashboards.forEach((file, dashboard) -> uids.put(dashboard.path("uid").asText(), file));

        assertThat(uids).containsOnlyKeys("streamfold-fleet", "streamfold-business", "streamfold-redis");
        dashboards.forEach((file, dashboard) -> {
            List<Integer> ids = panels(dashboard).stream().map(panel -> panel.path("id").asInt()).toList();
            assertThat(ids).as(file).doesNotHaveDuplicates().doesNotContain(0);
            assertThat(dashboard.path("schemaVersion").asInt()).as(file).isEqualTo(39);
            panels(dashboard).forEach(panel -> assertThat(panel.at("/gridPos/x").asInt() + panel.at("/gridPos/w").asInt())
                    .as("%s: panel %s ends inside the 24-column grid", file, panel.path("title").asText()).isLessThanOrEqualTo(24));
        });
    }

    @Test
    void everyQueryUsesTheProvisionedPrometheus() {
        assertThat(datasourceTypes).containsExactly(Map.entry(PROMETHEUS_UID, "prometheus"));
        dashboards.forEach((file, dashboard) -> assertThat(unknownDatasources(dashboard, datasourceTypes)).as(file).isEmpty());
    }

    @Test
    void aPanelNamingAnUnknownDatasourceIsReported() {
        JsonNode copy = dashboards.get("fleet-overview.json").deepCopy();
        JsonNode panel = copy.at("/panels/1");
        ((ObjectNode) panel.get("datasource")).set("uid", new TextNode("prometheus-typo"));
        ((ObjectNode) copy.at("/panels/0")).withArray("panels").add(panel.deepCopy());

        assertThat(unknownDatasources(copy, datasourceTypes)).containsExactly(
                "panel 'Events/s in and out': uid prometheus-typo (prometheus)",
                "panel 'Events/s in and out': uid prometheus-typo (prometheus)");
    }

    @Test
    void everyTargetHasAnExpression() {
        dashboards.forEach((file, dashboard) -> panels(dashboard).stream().filter(panel -> !isRow(panel)).forEach(panel -> {
            String title = file + ": " + panel.path("title").asText();
            if (panel.path("type").asText().equals("text")) {
                assertThat(panel.has("targets")).as(title).isFalse();
                return;
            }
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).as(title).isNotBlank());
        }));
    }

    @Test
    void everyMetricIsDocumentedOrAStandardJvmMetric() throws IOException {
        Set<String> documented = documentedMetrics();
        Set<String> used = new TreeSet<>();
        expressions().forEach(expr -> used.addAll(metricNames(expr)));

        assertThat(documented).contains("http_server_requests_seconds", "processor_events_total");
        assertThat(used).allSatisfy(metric -> assertThat(documented.contains(metric) || STANDARD_METRICS.contains(metric))
                .as("%s is in the metric lists of docs/operations.md or a standard JVM metric", metric).isTrue());
        // every documented metric is on some dashboard
        assertThat(used).containsAll(documented);
    }

    @Test
    void metricNamesAreReadFromExpressionsNotFromFunctionsLabelsOrDurations() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, instance) (rate(processor_commit_duration_seconds_bucket"
                + "{instance=~\".*\", outcome=\"a_b\"}[1m] offset 5m))) > bool on (job) group_left (x) up"))
                .containsExactlyInAnyOrder("processor_commit_duration_seconds", "up");
        assertThat(metricNames("max(deriv(processor_group_lag[1m:])) + 1e3 * processor_events_total"))
                .containsExactlyInAnyOrder("processor_group_lag", "processor_events_total");
    }

    @Test
    void anUndocumentedMetricIsFound() throws IOException {
        assertThat(metricNames("sum(rate(processor_event_total[1m]))")).containsExactly("processor_event_total");
        assertThat(documentedMetrics()).doesNotContain("processor_event_total");
    }

    // --- PromQL -------------------------------------------------------------------------------

    @Test
    void everyExpressionParsesWithPromtool(@TempDir Path dir) throws Exception {
        List<String> expressions = expressions();
        Promtool.Result result = checkRules(dir, expressions);

        assertThat(expressions).hasSizeGreaterThan(40);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void promtoolRejectsBrokenPromql(@TempDir Path dir) throws Exception {
        List<String> expressions = new ArrayList<>(expressions());
        expressions.add("sum(rate(processor_events_total{outcome=\"committed\"}[1m])");

        Promtool.Result result = checkRules(dir, expressions);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("dashboard:expr:" + (expressions.size() - 1)).contains("could not parse expression");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static List<Error> validate(JsonNode dashboard) throws IOException {
        return schema.validate(new ObjectMapper().writeValueAsString(dashboard), InputFormat.JSON);
    }

    /** Every panel, rows' nested panels included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        });
        return all;
    }

    private static boolean isRow(JsonNode panel) {
        return panel.path("type").asText().equals("row");
    }

    /**
     * Datasource references that name no provisioned datasource (uid and type), as {@code panel 'title': uid u (type)}.
     * A panel that queries must name its datasource, not rely on Grafana's default; so must each variable.
     */
    static List<String> unknownDatasources(JsonNode dashboard, Map<String, String> provisioned) {
        List<String> unknown = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            String where = "panel '" + panel.path("title").asText() + "'";
            if (panel.has("targets") || panel.has("datasource")) {
                check(where, panel.path("datasource"), provisioned).ifPresent(unknown::add);
            }
            panel.path("targets").forEach(target -> {
                if (target.has("datasource")) {
                    check(where + " target " + target.path("refId").asText(), target.get("datasource"), provisioned)
                            .ifPresent(unknown::add);
                }
            });
        }
        dashboard.at("/templating/list").forEach(variable -> {
            if (variable.path("type").asText().equals("query")) {
                check("variable $" + variable.path("name").asText(), variable.path("datasource"), provisioned).ifPresent(unknown::add);
            }
        });
        return unknown;
    }

    private static Optional<String> check(String where, JsonNode reference, Map<String, String> provisioned) {
        String uid = reference.path("uid").asText();
        String type = reference.path("type").asText();
        return type.equals(provisioned.get(uid)) ? Optional.empty() : Optional.of(where + ": uid " + uid + " (" + type + ")");
    }

    /** Every target's expression, dashboard by dashboard, with Grafana's variables replaced. */
    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        dashboards.values().forEach(dashboard -> panels(dashboard).forEach(panel -> panel.path("targets").forEach(target ->
                expressions.add(substituteVariables(target.path("expr").asText())))));
        return expressions;
    }

    /** {@code $__rate_interval} and the other interval variables become {@code 1m}; dashboard variables {@code .*}. */
    static String substituteVariables(String expr) {
        String intervals = GRAFANA_INTERVAL.matcher(expr).replaceAll("1m");
        return DASHBOARD_VARIABLE.matcher(intervals).replaceAll(".*");
    }

    /**
     * The metric names of a PromQL expression, without the {@code _bucket}/{@code _count}/{@code _sum}/{@code _max}
     * series suffixes: identifiers that are not functions, keywords, label names, label values or durations.
     */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group().toLowerCase())) {
                names.add(SERIES_SUFFIX.matcher(m.group()).replaceFirst(""));
            }
        }
        return names;
    }

    /**
     * The metric names of {@code docs/operations.md}: the first column of the {@code ### Processor metrics} table,
     * and the API's HTTP-server timer named under API metrics.
     */
    private static Set<String> documentedMetrics() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("docs/operations.md"));
        Set<String> metrics = new TreeSet<>();
        int start = lines.indexOf("### Processor metrics");
        assertThat(start).as("docs/operations.md heading ### Processor metrics").isNotNegative();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String[] cells = lines.get(i).split("\\|");
            Matcher metric = Pattern.compile("`(processor_[a-z_]+)").matcher(cells.length > 1 ? cells[1] : "");
            while (metric.find()) {
                metrics.add(metric.group(1));
            }
        }
        Matcher http = Pattern.compile("`(http_server_[a-z_]+)`").matcher(String.join("\n", lines));
        while (http.find()) {
            metrics.add(http.group(1));
        }
        return metrics;
    }

    /** {@code promtool check rules} on a rules file with one recording rule {@code dashboard:expr:N} per expression. */
    private static Promtool.Result checkRules(Path dir, List<String> expressions) throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            rules.add(Map.of("record", "dashboard:expr:" + i, "expr", expressions.get(i)));
        }
        Path file = dir.resolve("dashboards.rules.yml");
        new YAMLMapper().writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules))));

        return Promtool.run(dir, "check", "rules", file.toString());
    }

    /** The repository path of a path inside the Grafana container, through compose's bind mounts. */
    private static Path hostPath(String containerPath) throws IOException {
        for (JsonNode volume : compose().at("/services/grafana/volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts[0].startsWith("./") && (containerPath + "/").startsWith(parts[1] + "/")) {
                return root.resolve(parts[0]).resolve(containerPath.substring(parts[1].length()).replaceFirst("^/", "")).normalize();
            }
        }
        return fail(containerPath + " is not inside a directory docker-compose.yml mounts into the grafana service");
    }

    private static JsonNode compose() throws IOException {
        return new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile());
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        assertThat(dir).isDirectory();
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
