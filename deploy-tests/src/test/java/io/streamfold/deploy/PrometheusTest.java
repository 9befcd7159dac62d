package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prometheus/}: the configuration and the rule files pass {@code promtool check}, the rules' unit
 * tests pass {@code promtool test rules}, and the PrometheusRule of {@code k8s/components/monitoring}
 * carries exactly the groups of {@code prometheus/rules/*.yml}, their single source. Needs promtool
 * (Debian's {@code prometheus} package) on the PATH; fails, never skips, without it.
 */
class PrometheusTest {

    private static final Path ROOT = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
    private static final Path RULES = ROOT.resolve("prometheus/rules");
    private static final Path TESTS = ROOT.resolve("prometheus/tests");
    private static final YAMLMapper YAML = new YAMLMapper();

    private static List<Path> ruleFiles;
    private static List<Path> testFiles;

    @BeforeAll
    static void findFiles() throws IOException {
        ruleFiles = yamlFiles(RULES);
        testFiles = yamlFiles(TESTS);
        assertThat(ruleFiles).extracting(file -> file.getFileName().toString()).containsExactly("alerts.yml", "recording.yml");
        assertThat(testFiles).isNotEmpty();
    }

    @Test
    void configurationAndTheRuleFilesItLoadsPassPromtoolCheckConfig() throws IOException {
        Promtool.Result result = promtool("check", "config", "prometheus/prometheus.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 2 rule files found");
    }

    @Test
    void ruleFilesPassPromtoolCheckRules() throws IOException {
        Promtool.Result result = promtool(command(List.of("check", "rules"), ruleFiles));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("alerts.yml\n  SUCCESS: 12 rules found", "recording.yml\n  SUCCESS: 9 rules found");
    }

    @Test
    void rulesPassTheirUnitTests() throws IOException {
        Promtool.Result result = promtool(command(List.of("test", "rules"), testFiles));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void checkRulesRejectsBadPromql(@TempDir Path dir) throws IOException {
        Path broken = plant(dir, "alerts.yml",
                "max by (namespace) (processor_group_pending) > 20000", "max by (namespace) (rate(processor_group_pending[5m]) > 20000");

        Promtool.Result result = promtool("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("parse error");
    }

    @Test
    void checkRulesRejectsAMisspeltKey(@TempDir Path dir) throws IOException {
        Path broken = plant(dir, "recording.yml",
                "        expr: max by (namespace) (processor_group_lag)", "        exprr: max by (namespace) (processor_group_lag)");

        Promtool.Result result = promtool("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("exprr");
    }

    @Test
    void testRulesFailsWhenTheExpectedAlertIsWrong(@TempDir Path dir) throws IOException {
        String test = """
                rule_files:
                  - %s
                evaluation_interval: 15s
                tests:
                  - interval: 15s
                    input_series:
                      - series: 'processor_group_pending{namespace="streamfold"}'
                        values: '25000x40'
                    alert_rule_test:
                      - eval_time: 6m
                        alertname: StreamFoldPendingHigh
                        exp_alerts:
                          - exp_labels:
                              severity: critical
                              namespace: streamfold
                """.formatted(RULES.resolve("alerts.yml"));
        Path file = Files.writeString(dir.resolve("wrong_test.yml"), test);

        Promtool.Result result = promtool("test", "rules", file.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("FAILED", "severity=\"warning\"");
    }

    @Test
    void everyAlertIsUnitTestedAndCarriesForSeverityAndAnnotations() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode rule : rules()) {
            if (!rule.has("alert")) {
                assertThat(rule.path("record").asText()).as(rule.toString()).matches("streamfold:[a-z0-9_]+:[a-z0-9_]+");
                continue;
            }
            String alert = rule.path("alert").asText();
            alerts.add(alert);
            assertThat(rule.path("for").asText()).as(alert + " for").matches("[1-9][0-9]*[smh]");
            assertThat(rule.at("/labels/severity").asText()).as(alert + " severity").isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).as(alert + " summary").isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(alert + " description").isNotBlank();
        }
        Set<String> tested = new TreeSet<>();
        for (Path file : testFiles) {
            YAML.readTree(file.toFile()).path("tests").forEach(test ->
                    test.path("alert_rule_test").forEach(check -> {
                        if (!check.path("exp_alerts").isEmpty()) {
                            tested.add(check.path("alertname").asText());
                        }
                    }));
        }

        assertThat(alerts).containsExactly("StreamFoldApiFailing", "StreamFoldCommitRefused", "StreamFoldCommitsFailing", "StreamFoldDeadLettersIncreasing", "StreamFoldEventLatencyHigh", "StreamFoldLagGrowing",
                "StreamFoldPendingHigh", "StreamFoldProcessorDown", "StreamFoldRedisUnreachable", "StreamFoldSettlingRefused",
                "StreamFoldStreamRetained", "StreamFoldTrimmingFailing");
        assertThat(tested).as("alerts a unit test expects to fire").isEqualTo(alerts);
    }

    @Test
    void prometheusRuleCarriesExactlyTheGroupsOfTheRuleFiles() throws IOException {
        JsonNode rule = YAML.readTree(ROOT.resolve("k8s/components/monitoring/prometheusrule.yaml").toFile());

        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.at("/spec/groups").toPrettyString())
                .as("k8s/components/monitoring/prometheusrule.yaml spec.groups: copy them from prometheus/rules/*.yml")
                .isEqualTo(groupsOfRuleFiles().toPrettyString());
    }

    @Test
    void aChangedRuleMakesTheGroupsDiffer() throws IOException {
        ArrayNode changed = groupsOfRuleFiles();
        ((ObjectNode) changed.at("/0/rules/0")).put("for", "10m");

        assertThat(changed).isNotEqualTo(groupsOfRuleFiles());
    }

    // --- helpers ------------------------------------------------------------------------------

    /** The groups of every rule file, in file-name order: alerts.yml, then recording.yml. */
    private static ArrayNode groupsOfRuleFiles() throws IOException {
        ArrayNode groups = YAML.createArrayNode();
        for (Path file : ruleFiles) {
            groups.addAll((ArrayNode) YAML.readTree(file.toFile()).get("groups"));
        }
        return groups;
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        groupsOfRuleFiles().forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** A copy of a rule file with one planted mistake, in {@code dir}. */
    private static Path plant(Path dir, String name, String original, String mistake) throws IOException {
        String text = Files.readString(RULES.resolve(name));
        assertThat(text).as("the text the mistake replaces").contains(original);
        return Files.writeString(dir.resolve(name), text.replace(original, mistake));
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static String[] command(List<String> words, List<Path> files) {
        List<String> command = new ArrayList<>(words);
        files.forEach(file -> command.add(ROOT.relativize(file).toString()));
        return command.toArray(String[]::new);
    }

    /** Runs promtool in the repository root. */
    private static Promtool.Result promtool(String... args) throws IOException {
        return Promtool.run(ROOT, args);
    }
}
