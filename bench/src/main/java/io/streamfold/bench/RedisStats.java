package io.streamfold.bench;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the benchmarks read off Redis's INFO: where its time went, and how much CPU it used. */
final class RedisStats {

    private static final Pattern USEC = Pattern.compile("usec=(\\d+)");

    /** Prints the {@code limit} busiest lines of INFO commandstats (commands called from scripts included). */
    static void printCommandStats(RedisCommands<String, String> redis, int limit) {
        redis.info("commandstats").lines().filter(line -> line.startsWith("cmdstat_"))
                .sorted(Comparator.comparingLong(RedisStats::usec).reversed()).limit(limit)
                .forEach(line -> System.out.println("  redis " + line));
    }

    /** Microseconds spent in each command since the last CONFIG RESETSTAT, by lower-case name, from one INFO. */
    static Map<String, Long> commandMicros(RedisCommands<String, String> redis) {
        return redis.info("commandstats").lines().filter(line -> line.startsWith("cmdstat_"))
                .collect(Collectors.toMap(line -> line.substring("cmdstat_".length(), line.indexOf(':')), RedisStats::usec));
    }

    /** CPU time the Redis server has used (user and system, its main thread and its background threads). */
    static double cpuSeconds(RedisCommands<String, String> redis) {
        double seconds = 0;
        for (String line : redis.info("cpu").lines().toList()) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return seconds;
    }

    /** How many keys Redis holds and the memory it uses, as one line: shows what a run left behind (ledgers, bins). */
    static String keyspace(RedisCommands<String, String> redis) {
        long usedMemory = redis.info("memory").lines().filter(line -> line.startsWith("used_memory:"))
                .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst().orElse(-1);
        return String.format("Redis holds %,d keys, used_memory %,.1f MB", redis.dbsize(), usedMemory / 1e6);
    }

    private static long usec(String commandStat) {
        Matcher m = USEC.matcher(commandStat);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private RedisStats() {
    }
}
