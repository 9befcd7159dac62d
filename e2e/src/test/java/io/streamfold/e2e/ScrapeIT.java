package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring as shipped, against a live local fleet: Redis, two packaged processors, the API and
 * the producer at a modest rate, a few malformed entries (dead letters) and a few API requests
 * (accepted, refused), all scraped every second by a real Prometheus ({@code /usr/bin/prometheus})
 * that loads the repository's {@code prometheus/rules/*.yml}.
 *
 * <ul>
 *   <li>Every recording rule's expression, and every recorded series, returns data.</li>
 *   <li>Every alert evaluates without error ({@code health: "ok"} in {@code /api/v1/rules} after several
 *       evaluation cycles), and its expression returns data once each comparison is made a {@code bool}
 *       one ({@code a > 1000} → {@code a > bool 1000}): an alert's own expression returns data only while
 *       it fires, but with {@code bool} every series it compares must exist, so a misspelt metric or a
 *       label that matches nothing is caught while the fleet is healthy.</li>
 *   <li>Every Prometheus target expression of every provisioned Grafana dashboard returns data, with
 *       {@code $__rate_interval}, {@code $__interval} and {@code $__range} as {@code 1m} and every
 *       template variable as {@code .*}. A NaN (a quantile or ratio of an idle window) counts as data:
 *       the series exist.</li>
 * </ul>
 * The rules Prometheus loaded must be exactly those named in the rule files, so none is skipped.
 */
@RedisTest
class ScrapeIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    /** A binary comparison between two expressions (spaces around it: label matchers have none). */
    private static final Pattern COMPARISON = Pattern.compile("\\s+(==|!=|>=|<=|>|<)\\s+");
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int MALFORMED = 5;
    /** Seconds of evaluation (one cycle a second) with the targets up before a rule's health counts. */
    private static final int CYCLES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern RULE_NAME = Pattern.compile("^\\s*-?\\s*(record|alert):\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    @Test
    void everyRuleAndDashboardExpressionReturnsDataFromALiveFleet(RedisServer redis, @TempDir Path work) throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            throw new IllegalStateException(PROMETHEUS + " is missing: install the 'prometheus' package (.ci/run does)");
        }
        Path root = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
        Path rules = root.resolve("prometheus/rules");
        Map<String, String> common = Map.of("streamfold.redis.url", redis.uri());
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String key = HexFormat.of().formatHex(secret);
        int apiPort = FreePort.pick();
        int firstPort = FreePort.pick();
        int secondPort = FreePort.pick();
        int prometheusPort = FreePort.pick();
        RedisClient client = RedisClient.create(redis.uri());
        Process prometheus = null;

        try (StatefulRedisConnection<String, String> connection = client.connect();
             ServiceProcess first = ServiceProcess.start("scrape-processor-1", "processor", ServiceProcess.with(common,
                    "quarkus.http.port", firstPort, "streamfold.consumer.name", "processor-1",
                    "streamfold.consumer.stats-interval", "1s"));
             ServiceProcess second = ServiceProcess.start("scrape-processor-2", "processor", ServiceProcess.with(common,
                    "quarkus.http.port", secondPort, "streamfold.consumer.name", "processor-2",
                    "streamfold.consumer.stats-interval", "1s"));
             ServiceProcess api = ServiceProcess.start("scrape-api", "api",
                    ServiceProcess.with(common, "quarkus.http.port", apiPort, "streamfold.access.keys.e2e", key))) {
            Path config = work.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - "%s/*.yml"
                    scrape_configs:
                      - job_name: api
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                      - job_name: processor
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    """.formatted(rules, apiPort, firstPort, secondPort));
            Path logs = Path.of(System.getProperty("streamfold.logs", "target/e2e-logs"));
            Files.createDirectories(logs);
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("prometheus.log").toFile()))
                    .start();

            first.awaitReady(firstPort, STARTUP);
            second.awaitReady(secondPort, STARTUP);
            api.awaitReady(apiPort, STARTUP);
            for (int i = 0; i < MALFORMED; i++) {
                connection.sync().xadd(StreamContents.STREAM, Map.of("event_id", "bad-" + i, "user_id", "u",
                        "event_type", "purchase", "product", "product-1", "session_id", "s", "value", "x",
                        "ts", String.valueOf(System.currentTimeMillis())));
            }
            long ts = System.currentTimeMillis();
            assertThat(post(apiPort, key, "[{\"event_id\":\"scrape-1\",\"user_id\":\"u\",\"event_type\":\"view\","
                    + "\"product\":\"product-1\",\"session_id\":\"s\",\"value\":\"1.00\",\"ts\":" + ts + "}]").statusCode())
                    .as("status of a valid POST /events").isEqualTo(202);
            assertThat(post(apiPort, key, "[{\"event_id\":\"scrape-2\",\"value\":\"1.234\",\"ts\":" + ts + "}]").statusCode())
                    .as("status of an invalid POST /events").isEqualTo(400);
            assertThat(ServiceProcess.get(apiPort, "/aggregates").statusCode()).as("status of GET /aggregates").isEqualTo(200);

            try (ServiceProcess producer = ServiceProcess.start("scrape-producer", "producer",
                    ServiceProcess.with(common, "streamfold.producer.rate", 200))) {
                Process server = prometheus;
                await("Prometheus scrapes the API and both processors").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                        .untilAsserted(() -> {
                            assertThat(server.isAlive()).as("Prometheus running; see prometheus.log").isTrue();
                            assertThat(query(prometheusPort, "sum by (job) (up == 1)")).as("targets up by job")
                                    .isEqualTo(Map.of("{job=\"api\"}", "1", "{job=\"processor\"}", "2"));
                        });

                Set<String> named = ruleNames(rules);
                Instant rulesFrom = Instant.now();
                List<String> expressions = new ArrayList<>();
                await("every rule evaluated for " + CYCLES + " s without error").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                            expressions.clear();
                            Map<String, String> unhealthy = new TreeMap<>();
                            Set<String> loaded = new TreeSet<>();
                            Set<String> young = new TreeSet<>();
                            for (JsonNode group : api(prometheusPort, "/api/v1/rules").path("data").path("groups")) {
                                for (JsonNode rule : group.path("rules")) {
                                    String name = rule.path("name").asText();
                                    loaded.add(name);
                                    if (!rule.path("health").asText().equals("ok")) {
                                        unhealthy.put(name, rule.path("health").asText() + ": " + rule.path("lastError").asText());
                                    }
                                    if (OffsetDateTime.parse(rule.path("lastEvaluation").asText()).toInstant()
                                            .isBefore(rulesFrom.plusSeconds(CYCLES))) {
                                        young.add(name);
                                    }
                                    if (rule.path("type").asText().equals("recording")) {
                                        expressions.add(rule.path("query").asText());
                                        expressions.add(name);
                                    } else {
                                        expressions.add(COMPARISON.matcher(rule.path("query").asText()).replaceAll(" $1 bool "));
                                    }
                                }
                            }
                            assertThat(loaded).as("rules loaded by Prometheus").isEqualTo(named);
                            assertThat(unhealthy).as("rules not healthy").isEmpty();
                            assertThat(young).as("rules last evaluated less than %d s after the targets were up", CYCLES).isEmpty();
                        });

                expressions.addAll(dashboardExpressions(root.resolve("grafana/provisioning/dashboards/json")));
                assertThat(expressions).as("expressions to check").hasSizeGreaterThan(20);
                await("every recording rule and dashboard expression returns data").atMost(Duration.ofSeconds(45))
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                            Map<String, String> empty = new LinkedHashMap<>();
                            for (String expression : expressions) {
                                JsonNode answer = api(prometheusPort, "/api/v1/query?query="
                                        + URLEncoder.encode(expression, StandardCharsets.UTF_8));
                                if (!answer.path("status").asText().equals("success") || answer.path("data").path("result").isEmpty()) {
                                    empty.put(expression, answer.toString());
                                }
                            }
                            assertThat(empty).as("expressions without data (expression=answer)").isEmpty();
                        });
                assertThat(first.exited() || second.exited() || api.exited() || producer.exited())
                        .as("a service exited during the run").isFalse();
            }
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            client.shutdown();
        }
    }

    /** Names of every recording rule and alert in the rule files. */
    private static Set<String> ruleNames(Path rules) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(rules, "*.yml")) {
            for (Path file : files) {
                Matcher matcher = RULE_NAME.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(2));
                }
            }
        }
        assertThat(names).as("rule names in %s", rules).isNotEmpty();
        return names;
    }

    /** Every target expression of every dashboard, with Grafana's interval macros as 1m and every variable as {@code .*}. */
    private static List<String> dashboardExpressions(Path dashboards) throws IOException {
        List<String> expressions = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dashboards, "*.json")) {
            for (Path file : files) {
                collect(JSON.readTree(file.toFile()).path("panels"), expressions);
            }
        }
        return expressions;
    }

    private static void collect(JsonNode panels, List<String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1m");
                    expressions.add(VARIABLE.matcher(expr).replaceAll(".*"));
                }
            }
            collect(panel.path("panels"), expressions);
        }
    }

    /** An instant query's result as {@code labels -> value}. */
    private static Map<String, String> query(int port, String expression) {
        Map<String, String> series = new TreeMap<>();
        for (JsonNode sample : api(port, "/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8))
                .path("data").path("result")) {
            List<String> labels = new ArrayList<>();
            sample.path("metric").fields().forEachRemaining(label -> labels.add(label.getKey() + "=\"" + label.getValue().asText() + "\""));
            series.put("{" + String.join(",", labels) + "}", sample.path("value").get(1).asText());
        }
        return series;
    }

    private static JsonNode api(int port, String path) {
        HttpResponse<String> response = ServiceProcess.get(port, path);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " answered " + response.statusCode() + ": " + response.body(), e);
        }
    }

    private static HttpResponse<String> post(int port, String key, String events) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).timeout(Duration.ofSeconds(10))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(events)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
