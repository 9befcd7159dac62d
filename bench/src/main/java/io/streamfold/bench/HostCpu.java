package io.streamfold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The machine's CPU time by kind, from the first line of Linux's {@code /proc/stat}: what this machine's
 * processes used, what it left idle, and what the hypervisor gave to other guests while this one had work
 * ({@code steal}). A run in which the host stole a large share measured a slower machine than one in which it
 * stole none, which is why the drain and latency benchmarks print it for their measured windows.
 */
final class HostCpu {

    private static final Path STAT = Path.of("/proc/stat");
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int STEAL = 7;

    /** user, nice, system, idle, iowait, irq, softirq, steal (guest time is counted in user already). */
    private final long[] ticks;

    private HostCpu(long[] ticks) {
        this.ticks = ticks;
    }

    /** The counters now, or none where there is no {@code /proc/stat} (not Linux). */
    static HostCpu now() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long[] ticks = new long[STEAL + 1];
            for (int i = 0; i < ticks.length && i + 1 < fields.length; i++) {
                ticks[i] = Long.parseLong(fields[i + 1]);
            }
            return new HostCpu(ticks);
        } catch (IOException | RuntimeException e) {
            return new HostCpu(null);
        }
    }

    /** How the CPUs' time since {@code before} was spent, as a line for the benchmark's report. */
    String since(HostCpu before) {
        if (ticks == null || before.ticks == null) {
            return "CPU time by kind: unknown (no /proc/stat)";
        }
        long[] delta = new long[ticks.length];
        Arrays.setAll(delta, i -> ticks[i] - before.ticks[i]);
        double all = Arrays.stream(delta).sum();
        if (all <= 0) {
            return "CPU time by kind: no ticks counted";
        }
        long idle = delta[IDLE] + delta[IOWAIT];
        long steal = delta[STEAL];
        long busy = (long) all - idle - steal;
        return String.format("this machine's CPU time over the window: %.1f%% busy, %.1f%% idle, %.1f%% stolen by the host"
                + " (/proc/stat)", 100 * busy / all, 100 * idle / all, 100 * steal / all);
    }
}
