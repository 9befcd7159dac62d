package io.streamfold.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.KeyLayout;
import io.streamfold.testsupport.RedisOptions;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisServers;
import io.streamfold.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * Latency of the API's reads under a steady request rate. A fresh Redis; one day of aggregates
 * ({@link PreloadedDay}: {@code perMinute} events a minute over 24 hours, drained by one packaged
 * processor, which then stops); the packaged API on a free port; each query checked once against
 * Redis; then, per query, a warm-up and a measured run of the open-loop load generator
 * ({@link OpenLoopLoad}) at fixed rates: the dashboard summary, the 24-hour series of the most
 * frequent product at 1-minute steps (1,441 points), and the 24-hour series of all events. For each
 * run: p50, p90, p99, max, the achieved rate, errors, the API's CPU and Redis's time per request
 * ({@code INFO commandstats}). Then, where {@code wrk} is on the PATH, its closed-loop maximum rate
 * for each query. Arguments: {@code perMinute=1000 users=10000 seconds=20 warmup=10
 * summaryRates=1000 seriesRates=50,100 allRates=50 connections=8 wrk=10} (seconds of wrk per
 * query, 0 to skip; an empty rate list skips a query) and any {@code streamfold.*} setting passed to
 * the processor and the API.
 */
public final class ApiBenchmark {

    private static final String DIMENSION = "product";
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern POINT = Pattern.compile("\"start\":\"");
    private static final Pattern TOTAL_COUNT = Pattern.compile("\"totals\":\\{\"count\":(\\d+)");
    private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_(\\S+):calls=(\\d+),usec=(\\d+),");

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        int perMinute = arguments.integer("perMinute", 1_000);
        int users = arguments.integer("users", 10_000);
        Duration measured = Duration.ofSeconds(arguments.integer("seconds", 20));
        Duration warmup = Duration.ofSeconds(arguments.integer("warmup", 10));
        int connections = arguments.integer("connections", 8);
        int wrkSeconds = arguments.integer("wrk", 10);
        KeyLayout keys = KeyLayout.defaults();
        EventSchema schema = EventSchema.defaults();
        System.out.printf("api: one day of %,d events a minute, %d products, %,d users; runs of %d s after %d s warm-up, "
                + "%d connections, settings %s%n", perMinute, PreloadedDay.PRODUCTS, users, measured.toSeconds(),
                warmup.toSeconds(), connections, arguments.settings());
        try (RedisServer server = RedisServers.start(RedisOptions.defaults())) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                PreloadedDay day = PreloadedDay.load(connection, server.uri(), keys, schema, perMinute, users, arguments.settings());
                String product = day.expected().countsBy(DIMENSION).entrySet().stream()
                        .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                try (ApiProcess api = ApiProcess.start(server.uri(), arguments.settings())) {
                    long to = System.currentTimeMillis();
                    long from = to - Duration.ofHours(24).toMillis();
                    String range = "from=" + from + "&to=" + to + "&step=1m";
                    List<Query> queries = List.of(
                            new Query("summary", "/aggregates/summary", arguments.integers("summaryRates", List.of(1_000))),
                            new Query("24h series of " + product, "/aggregates/timeseries?dimension=" + DIMENSION + "&value="
                                    + product + "&" + range, arguments.integers("seriesRates", List.of(50, 100))),
                            new Query("24h series of all events", "/aggregates/timeseries?" + range,
                                    arguments.integers("allRates", List.of(50))));
                    requireSummary(api.port(), day.expected().count());
                    requireSeries(api.port(), queries.get(1).target, connection, keys, from, to,
                            KeyLayout.binField(KeyLayout.COUNT, DIMENSION, product));
                    requireSeries(api.port(), queries.get(2).target, connection, keys, from, to, KeyLayout.COUNT);

                    System.out.println("  load average before the runs (1, 5, 15 min): " + loadAverage());
                    List<String> rows = new ArrayList<>();
                    for (Query query : queries) {
                        for (int rate : query.rates) {
                            OpenLoopLoad.Result warm = OpenLoopLoad.run(api.port(), query.target, rate, connections, warmup);
                            System.out.printf("  warm-up %s at %,d/s: p99 %.1f ms, %,d errors%n", query.name, rate,
                                    warm.millisAt(0.99), warm.errors());
                            redis.configResetstat();
                            Duration cpuBefore = api.cpuTime();
                            OpenLoopLoad.Result result = OpenLoopLoad.run(api.port(), query.target, rate, connections, measured);
                            Duration cpu = api.cpuTime().minus(cpuBefore);
                            rows.add(row(query.name, result, cpu, redis.info("commandstats")));
                            System.out.println(rows.get(rows.size() - 1));
                            if (!result.errorSamples().isEmpty()) {
                                System.out.println("    errors, e.g.: " + result.errorSamples());
                            }
                        }
                    }
                    System.out.printf("%n  API: its CPU in the run (share of one core) and per request; Redis: INFO commandstats "
                            + "per request, all commands and the two busiest%n");
                    System.out.println(header());
                    rows.forEach(System.out::println);
                    if (wrkSeconds > 0) {
                        for (Query query : queries) {
                            if (!query.rates.isEmpty()) {
                                closedLoop(api.port(), query, wrkSeconds, connections);
                            }
                        }
                    }
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** A query, its path and query string, and the rates it is measured at. */
    private record Query(String name, String target, List<Integer> rates) {
    }

    /** One line of the table: rates, latencies, errors, body size, the API's CPU and Redis's time per request. */
    private static String row(String name, OpenLoopLoad.Result result, Duration cpu, String commandStats) {
        double seconds = result.duration().toNanos() / 1e9;
        long requests = Math.max(result.answered() + result.errors(), 1);
        return String.format("  %-32s %,6d/s %,7.0f/s %7.2f %7.2f %7.2f %7.1f %6d %6d %,9.0f %5.0f%% %8.2f  %s", name,
                result.rate(), result.achievedRate(), result.millisAt(0.50), result.millisAt(0.90), result.millisAt(0.99),
                result.maxMillis(), result.errors(), result.unsent(), result.meanBodyBytes(), 100 * cpu.toNanos() / 1e9 / seconds,
                cpu.toNanos() / 1e6 / requests, redisPerRequest(commandStats, requests));
    }

    private static String header() {
        return String.format("  %-32s %8s %9s %7s %7s %7s %7s %6s %6s %9s %6s %8s  %s", "query", "rate", "achieved", "p50 ms",
                "p90 ms", "p99 ms", "max ms", "errors", "unsent", "body B", "API", "API ms", "Redis per request");
    }

    /** Redis's time per request, all commands together, and the busiest commands' calls and time per request. */
    private static String redisPerRequest(String commandStats, long requests) {
        record Stat(String command, long calls, long usec) {
        }
        List<Stat> stats = new ArrayList<>();
        for (String line : commandStats.lines().toList()) {
            Matcher m = COMMAND_STAT.matcher(line);
            if (m.find() && !m.group(1).equals("info") && !m.group(1).startsWith("config")) {
                stats.add(new Stat(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
        }
        stats.sort(Comparator.comparingLong(Stat::usec).reversed());
        StringBuilder text = new StringBuilder(String.format("%.3f ms:", stats.stream().mapToLong(Stat::usec).sum() / 1e3 / requests));
        for (Stat stat : stats.subList(0, Math.min(2, stats.size()))) {
            text.append(String.format(" %s %.3g× %.3f ms", stat.command, stat.calls / (double) requests, stat.usec / 1e3 / requests));
        }
        return text.toString();
    }

    /** The summary answers 200 with the day's exact event count. */
    private static void requireSummary(int port, long expectedCount) {
        String body = require200(port, "/aggregates/summary");
        Matcher m = TOTAL_COUNT.matcher(body);
        if (!m.find() || Long.parseLong(m.group(1)) != expectedCount) {
            throw new IllegalStateException("expected a summary with totals.count " + expectedCount + ", got " + abbreviate(body));
        }
        System.out.printf("  summary checked: 200, totals.count %,d, %,d bytes%n", expectedCount, body.length());
    }

    /**
     * The series answers 200 with one point per minute of [from, to] (1,441), whose counts equal
     * the {@code field} of the same minute bins read straight from Redis: the same sum, the same
     * number of non-zero points.
     */
    private static void requireSeries(int port, String target, StatefulRedisConnection<String, String> connection, KeyLayout keys,
            long from, long to, String field) {
        String body = require200(port, target);
        long points = POINT.matcher(body).results().count();
        long[] counts = COUNT.matcher(body).results().mapToLong(r -> Long.parseLong(r.group(1))).toArray();
        List<String> bins = LongStream.rangeClosed(Math.floorDiv(from, PreloadedDay.MINUTE_MILLIS),
                Math.floorDiv(to, PreloadedDay.MINUTE_MILLIS)).mapToObj(keys::minuteBin).toList();
        long[] direct = Pipelined.perKey(connection, bins, (async, key) -> async.hget(key, field)).stream()
                .mapToLong(count -> count == null ? 0 : Long.parseLong(count)).toArray();
        long sum = LongStream.of(counts).sum();
        long nonZero = LongStream.of(counts).filter(c -> c > 0).count();
        long directNonZero = LongStream.of(direct).filter(c -> c > 0).count();
        if (points != bins.size() || counts.length != points || sum != LongStream.of(direct).sum() || nonZero != directNonZero
                || sum == 0) {
            throw new IllegalStateException("expected " + bins.size() + " points with counts adding up to " + LongStream.of(direct).sum()
                    + ", " + directNonZero + " of them non-zero (the bins' " + field + " read from Redis), got " + points + " points, "
                    + counts.length + " counts adding up to " + sum + ", " + nonZero + " non-zero: " + abbreviate(body));
        }
        System.out.printf("  %s checked: 200, %,d points, %,d non-zero, counts add up to %,d as in the bins; %,d bytes%n", target,
                points, nonZero, sum, body.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String require200(int port, String target) {
        HttpResponse<String> response = ServiceProcess.get(port, target);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + target + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    /** wrk's closed-loop maximum: {@code connections} connections, each sending its next request when the last is answered. */
    private static void closedLoop(int port, Query query, int seconds, int connections) throws InterruptedException {
        List<String> command = List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
                "http://127.0.0.1:" + port + query.target);
        String output;
        try {
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (wrk.waitFor() != 0) {
                System.out.println("  wrk failed: " + output.strip());
                return;
            }
        } catch (IOException e) {
            System.out.println("  wrk not run (" + e.getMessage() + "); install it (Debian: apt-get install wrk) for the closed-loop maximum");
            return;
        }
        System.out.printf("  wrk (closed loop, 1 thread, %d connections, %d s), %s:%n", connections, seconds, query.name);
        output.lines().filter(line -> line.contains("Latency") || line.contains("Requests/sec") || line.contains("Non-2xx")
                || line.contains("Socket errors") || line.strip().startsWith("50%") || line.strip().startsWith("99%"))
                .forEach(line -> System.out.println("    " + line.strip()));
    }

    private ApiBenchmark() {
    }
}
