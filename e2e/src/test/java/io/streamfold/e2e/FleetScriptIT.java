package io.streamfold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamfold.testsupport.FreePort;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import io.streamfold.testsupport.ServiceProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleet.sh} as a user runs it, on the test's own Redis ({@code REDIS_URL}) and free ports: the summary grows,
 * the {@code curl} line it prints posts an event (parsed from its output and sent from here) that the summary then
 * counts, and it stops every process it started both on a terminal's Ctrl-C (SIGINT to its process group; the script
 * runs in a session of its own, as in a terminal) and on a SIGTERM to the script alone (a plain {@code kill}).
 */
@RedisTest
class FleetScriptIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** The script gives its services 20 s to stop after SIGTERM, then kills them. */
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final RedisServer redis;

    FleetScriptIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @Test
    void ctrlCToItsProcessGroupStopsEveryProcessItStarted() throws Exception {
        runThenStop("ctrl-c", fleet -> signal("INT", "-" + fleet.pid()), 130);
    }

    @Test
    void sigtermToTheScriptStopsEveryProcessItStarted() throws Exception {
        runThenStop("sigterm", fleet -> signal("TERM", String.valueOf(fleet.pid())), 143);
    }

    private void runThenStop(String name, Stopper stopper, int expectedExit) throws Exception {
        int apiPort = FreePort.pick();
        List<Integer> processorPorts = List.of(FreePort.pick(), FreePort.pick());
        Path logs = Path.of(System.getProperty("streamfold.logs", "target/e2e-logs")).toAbsolutePath()
                .resolve("fleet-script-" + name);
        Fleet fleet = Fleet.start(logs, Map.of("REDIS_URL", redis.uri(), "API_PORT", String.valueOf(apiPort),
                "PROCESSOR_PORTS", processorPorts.stream().map(String::valueOf).collect(Collectors.joining(" ")),
                "LOG_DIR", logs.toString()));
        try {
            fleet.awaitOutput("StreamFold is running", STARTUP);
            assertThat(fleet.output()).as("fleet.sh output").contains("[fleet] using Redis at " + redis.uri() + " (REDIS_URL)");
            fleet.recordDescendants();
            assertThat(fleet.descendants().stream().map(Fleet::describe).filter(line -> line.contains("quarkus-run.jar")))
                    .as("the services fleet.sh started: two processors, the API, the producer").hasSize(4);

            long first = awaitSummaryCountAbove(apiPort, 0);
            awaitSummaryCountAbove(apiPort, first);
            fleet.recordDescendants();

            String curl = fleet.curlLine();
            HttpResponse<String> posted = CurlLine.parse(curl).send();
            assertThat(posted.statusCode()).as("status of %s: %s", curl, posted.body()).isEqualTo(202);
            assertThat(JSON.readTree(posted.body()).path("ids").size()).as("ids in %s", posted.body()).isEqualTo(1);
            // The producer's products are product-N: p1 is the posted event alone, aggregated by a processor.
            await("the posted event in the summary").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> productCell(apiPort, "p1"), cell -> cell.path("count").asLong() == 1
                            && cell.path("sum").decimalValue().compareTo(BigDecimal.ONE) == 0);
            fleet.recordDescendants();

            stopper.stop(fleet);
            assertThat(fleet.awaitExit(SHUTDOWN)).as("fleet.sh exit code; output:%n%s", fleet.output())
                    .isEqualTo(expectedExit);
            assertThat(fleet.output()).contains("[fleet] stopping 4 services...", "[fleet] stopped");
            assertThat(fleet.descendants().stream().filter(ProcessHandle::isAlive).map(Fleet::describe))
                    .as("processes fleet.sh started, still running").isEmpty();
            assertThat(Fleet.inSession(fleet.pid())).as("processes left in fleet.sh's session").isEmpty();
            assertThat(pendingCount()).as("entries left pending by the stopped processors").isZero();
        } finally {
            fleet.destroy();
        }
    }

    /** Waits until the API's summary counts more than {@code floor} events, and returns that count. */
    private static long awaitSummaryCountAbove(int apiPort, long floor) {
        long[] count = new long[1];
        await("summary count above " + floor).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).until(() -> {
            HttpResponse<String> response = ServiceProcess.get(apiPort, "/aggregates/summary");
            count[0] = response.statusCode() == 200 ? JSON.readTree(response.body()).path("totals").path("count").asLong() : 0;
            return count[0] > floor;
        });
        return count[0];
    }

    /** The summary's cell of {@code product} (missing node if none). */
    private static JsonNode productCell(int apiPort, String product) throws IOException {
        for (JsonNode cell : JSON.readTree(ServiceProcess.get(apiPort, "/aggregates/summary").body())
                .path("dimensions").path("product")) {
            if (product.equals(cell.path("value").asText())) {
                return cell;
            }
        }
        return JSON.missingNode();
    }

    private long pendingCount() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().xpending(StreamContents.STREAM, "aggregators").getCount();
        } finally {
            client.shutdown();
        }
    }

    /** {@code kill -s <signal> -- <target>}; a target {@code -<pgid>} signals the whole process group. */
    private static void signal(String signal, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", target).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill finished").isTrue();
        assertThat(kill.exitValue()).as("kill -s %s -- %s: %s", signal, target, output).isZero();
    }

    @FunctionalInterface
    private interface Stopper {
        void stop(Fleet fleet) throws Exception;
    }

    /**
     * {@code ./fleet.sh} started with {@code setsid}, so it leads a session and a process group of its own, like a
     * shell's foreground job; its output is kept (and written to {@code fleet.sh.log}), and every process it starts
     * is recorded while it runs, so none can hide by being re-parented once it exits.
     */
    private static final class Fleet {

        private final Process process;
        private final Thread reader;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Set<ProcessHandle> descendants = new HashSet<>();

        private Fleet(Process process, Path log) throws IOException {
            this.process = process;
            PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log), true);
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     writer) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        String plain = line.replaceAll("\u001B\\[[0-9;]*m", "");
                        lines.add(plain);
                        writer.println(plain);
                    }
                } catch (IOException e) {
                    lines.add("(reading fleet.sh's output failed: " + e + ")");
                }
            }, "fleet.sh-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Fleet start(Path logs, Map<String, String> environment) throws IOException {
            Path root = Path.of(System.getProperty("streamfold.root", "..")).toAbsolutePath().normalize();
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder("setsid", root.resolve("fleet.sh").toString())
                    .directory(root.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.remove("API_KEY");
            env.remove("RATE");
            // Four JVMs start at once: C1 alone starts them about a third faster, and they run for seconds only.
            env.put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
            env.putAll(environment);
            // The services run on this JDK.
            env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", ""));
            Fleet fleet = new Fleet(builder.start(), logs.resolve("fleet.sh.log"));
            // setsid execs fleet.sh in place (the JVM's child leads no group), so its pid names its session and group;
            // were it to fork instead, "kill -INT -<pid>" would name no group of the fleet's.
            await("fleet.sh leads its own session").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !fleet.process.isAlive() || sessionOf(fleet.pid()) == fleet.pid());
            assertThat(sessionOf(fleet.pid())).as("session of fleet.sh (pid %d); output: %s", fleet.pid(), fleet.lines)
                    .isEqualTo(fleet.pid());
            return fleet;
        }

        long pid() {
            return process.pid();
        }

        String output() {
            return String.join("\n", lines);
        }

        void awaitOutput(String text, Duration within) {
            await("fleet.sh prints '" + text + "'").atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (lines.stream().anyMatch(line -> line.contains("[fleet] building"))) {
                    fail("fleet.sh started a Maven build: the packaged applications are older than their sources; "
                            + "package them first (mvn -pl e2e -am verify does)");
                }
                if (!process.isAlive()) {
                    fail("fleet.sh exited with " + process.exitValue() + ":\n" + output());
                }
                return lines.stream().anyMatch(line -> line.contains(text));
            });
        }

        /** Adds every process now below fleet.sh (its services; a passing {@code sleep}) to those it started. */
        void recordDescendants() {
            process.toHandle().descendants().forEach(descendants::add);
        }

        Set<ProcessHandle> descendants() {
            return Set.copyOf(descendants);
        }

        /** The {@code curl} line fleet.sh printed, its continuation lines joined as the shell would. */
        String curlLine() {
            List<String> all = new ArrayList<>(lines);
            for (int i = 0; i < all.size(); i++) {
                int at = all.get(i).indexOf("curl ");
                if (at >= 0) {
                    StringBuilder command = new StringBuilder(all.get(i).substring(at));
                    while (command.toString().endsWith("\\") && ++i < all.size()) {
                        command.setLength(command.length() - 1);
                        command.append(all.get(i));
                    }
                    return command.toString().strip();
                }
            }
            return fail("fleet.sh printed no curl line:\n" + output());
        }

        int awaitExit(Duration within) throws InterruptedException {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("fleet.sh still running " + within + " after the signal:\n" + output());
            }
            reader.join(Duration.ofSeconds(10).toMillis()); // its last lines
            return process.exitValue();
        }

        /** After a failure: kills whatever of the fleet is left, so no test leaves processes behind. */
        void destroy() {
            recordDescendantsIfAlive();
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        private void recordDescendantsIfAlive() {
            if (process.isAlive()) {
                recordDescendants();
            }
        }

        static String describe(ProcessHandle handle) {
            return handle.pid() + " " + handle.info().commandLine().orElse("?");
        }

        /** The processes whose session is {@code sid}, from {@code /proc}. */
        static List<String> inSession(long sid) throws IOException {
            try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
                return entries.filter(path -> path.getFileName().toString().matches("\\d+"))
                        .filter(path -> {
                            long pid = Long.parseLong(path.getFileName().toString());
                            return sessionOf(pid) == sid;
                        })
                        .map(path -> ProcessHandle.of(Long.parseLong(path.getFileName().toString()))
                                .map(Fleet::describe).orElse(path.getFileName().toString()))
                        .toList();
            }
        }

        /** Field 6 of {@code /proc/<pid>/stat} (after the parenthesised command name): the session id; -1 once gone. */
        static long sessionOf(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[3]);
            } catch (IOException | RuntimeException gone) {
                return -1;
            }
        }
    }

    /**
     * The request of a printed {@code curl -H … -d … URL} line: words split as the shell splits them (single quotes;
     * the one command substitution it uses, {@code $(date +%s%3N)}, is the time now in milliseconds); any other
     * option or substitution fails the test rather than being guessed at.
     */
    private record CurlLine(List<String> headers, String data, URI url) {

        static CurlLine parse(String line) {
            List<String> words = words(line);
            assertThat(words).as("words of %s", line).isNotEmpty();
            assertThat(words.get(0)).isEqualTo("curl");
            List<String> headers = new ArrayList<>();
            String data = null;
            URI url = null;
            for (int i = 1; i < words.size(); i++) {
                String word = words.get(i);
                switch (word) {
                    case "-H" -> headers.add(words.get(++i));
                    case "-d" -> data = words.get(++i);
                    default -> {
                        if (word.startsWith("-") || url != null) {
                            fail("unexpected word '" + word + "' in " + line);
                        }
                        url = URI.create(word);
                    }
                }
            }
            assertThat(url).as("URL in %s", line).isNotNull();
            assertThat(data).as("-d in %s", line).isNotNull();
            return new CurlLine(headers, data, url);
        }

        /** As curl sends it: {@code -d} makes a POST of that body. */
        HttpResponse<String> send() throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(data));
            for (String header : headers) {
                int colon = header.indexOf(':');
                request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private static List<String> words(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    i++;
                    continue;
                }
                word = word == null ? new StringBuilder() : word;
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    assertThat(end).as("closing quote in %s", line).isPositive();
                    word.append(line, i + 1, end);
                    i = end + 1;
                } else if (line.startsWith("$(date +%s%3N)", i)) {
                    word.append(System.currentTimeMillis());
                    i += "$(date +%s%3N)".length();
                } else if (c == '$' || c == '"' || c == '\\' || c == '`') {
                    return fail("unexpected shell syntax at '" + line.substring(i) + "' in " + line);
                } else {
                    word.append(c);
                    i++;
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
