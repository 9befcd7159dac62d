package io.streamfold.bench;

import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.CellDifference;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.aggregation.SyntheticBatch;
import io.streamfold.processor.gpu.CudaProbe;
import io.streamfold.processor.gpu.DeviceInfo;
import io.streamfold.processor.gpu.DeviceTimes;
import io.streamfold.processor.gpu.GpuAggregator;
import io.streamfold.processor.gpu.KernelInput;
import io.streamfold.processor.gpu.LaunchShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The GPU backend beside the CPU engine on the same host, per batch size (1k to 10M events by
 * default): events/s of the kernel alone and of the device part end to end (host→device copy,
 * kernel, device→host copy; CUDA events), of {@code GpuAggregator.aggregate} as the processor calls
 * it (adding the host's packing and unpacking) and of the CPU engine; the crossover batch size; and
 * the kernel's bytes per second as a fraction of the device's theoretical memory bandwidth (memory
 * clock x 2 x bus width). Every GPU result is compared with the CPU engine's cell by cell first;
 * any difference stops the run (exit 1). Without a usable device it says why and exits 3.
 *
 * <p>Arguments: {@code sizes=1000,...} {@code dimensions=2} {@code values=64} (per dimension)
 * {@code minutes=2} {@code rounds=5} (timed, after 2 warm-ups; medians reported).
 */
public final class GpuBenchmark {

    static final int EXIT_NO_GPU = 3;
    private static final List<Integer> SIZES = List.of(1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000,
            500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000);
    private static final int WARM_UPS = 2;

    private GpuBenchmark() {
    }

    public static void main(String[] args) {
        Arguments arguments = Arguments.parse(args);
        List<Integer> sizes = arguments.integers("sizes", SIZES);
        int dimensions = arguments.integer("dimensions", 2);
        int values = arguments.integer("values", 64);
        int minutes = arguments.integer("minutes", 2);
        int rounds = arguments.integer("rounds", 5);

        CudaProbe probe = CudaProbe.once();
        if (!probe.available()) {
            System.err.println("GPU benchmark not run: " + probe.reason());
            System.exit(EXIT_NO_GPU);
        }
        DeviceInfo device = probe.device().orElseThrow();
        System.out.printf("%s; theoretical memory bandwidth %.0f GB/s (%d kHz x 2 x %d bits)%n", device,
                device.bandwidthBytesPerSecond() / 1e9, device.memoryClockKhz(), device.memoryBusWidthBits());
        System.out.printf("batches: %d dimensions, %d values each, over %d minutes; medians of %d rounds after %d warm-ups%n",
                dimensions, values, minutes, rounds, WARM_UPS);
        System.out.printf("%11s | %12s | %12s | %12s | %12s | %9s | %9s | %8s | %s%n", "events", "CPU ev/s",
                "kernel ev/s", "H2D+K+D2H/s", "aggregate/s", "vs CPU", "kernel GB/s", "of peak", "shared path");
        List<Row> rows = new ArrayList<>();
        try (GpuAggregator gpu = GpuAggregator.open(device)) {
            for (int size : sizes) {
                Row row = measure(gpu, device, size, dimensions, values, minutes, rounds);
                rows.add(row);
                System.out.println(row);
            }
        }
        System.out.println(crossover(rows, "GPU aggregate() (with host packing)", Row::aggregatePerSecond));
        System.out.println(crossover(rows, "GPU device part (H2D + kernel + D2H)", Row::devicePerSecond));
    }

    private static Row measure(GpuAggregator gpu, DeviceInfo device, int size, int dimensions, int values, int minutes,
            int rounds) {
        EventColumns batch = new EventColumns(dimensions);
        SyntheticBatch.fill(batch, size, values, minutes, size);
        KernelInput input = KernelInput.pack(batch);
        boolean shared = LaunchShape.of(input, device.limits()).sharedBytes() > 0;
        long kernelBytes = input.values().length * 8L + input.cellIds().length * 4L + input.cells() * 32L
                + input.tableSize() * 16L;
        CpuAggregator cpu = new CpuAggregator();
        CellDelta cpuCells = new CellDelta();
        CellDelta gpuCells = new CellDelta();
        long[] cpuNanos = new long[rounds];
        long[] gpuNanos = new long[rounds];
        double[] kernelMs = new double[rounds];
        double[] deviceMs = new double[rounds];
        for (int round = 0; round < WARM_UPS + rounds; round++) {
            cpuCells.clear();
            long started = System.nanoTime();
            cpu.aggregate(batch, cpuCells);
            long cpuTook = System.nanoTime() - started;
            gpuCells.clear();
            started = System.nanoTime();
            gpu.aggregate(batch, gpuCells);
            long gpuTook = System.nanoTime() - started;
            DeviceTimes times = gpu.lastTimes();
            if (round == 0) {
                Optional<String> difference = CellDifference.between(cpuCells, gpuCells);
                if (difference.isPresent()) {
                    System.err.println("cells differ from the CPU engine's at " + size + " events: " + difference.get());
                    System.exit(1);
                }
            }
            if (round >= WARM_UPS) {
                cpuNanos[round - WARM_UPS] = cpuTook;
                gpuNanos[round - WARM_UPS] = gpuTook;
                kernelMs[round - WARM_UPS] = times.kernelMs();
                deviceMs[round - WARM_UPS] = times.totalMs();
            }
        }
        double kernelSeconds = median(kernelMs) / 1e3;
        return new Row(size, size / (median(cpuNanos) / 1e9), size / kernelSeconds, size / (median(deviceMs) / 1e3),
                size / (median(gpuNanos) / 1e9), kernelBytes / kernelSeconds, device.bandwidthBytesPerSecond(), shared);
    }

    /** The smallest measured size from which on the GPU figure beats the CPU engine's at every larger size. */
    static String crossover(List<Row> rows, String what, ToDoubleFunction<Row> gpu) {
        Integer from = null;
        for (int i = rows.size() - 1; i >= 0 && gpu.applyAsDouble(rows.get(i)) > rows.get(i).cpuPerSecond(); i--) {
            from = rows.get(i).events();
        }
        return "crossover, " + what + ": " + (from == null ? "none within the sizes measured"
                : "faster than the CPU engine from " + String.format("%,d", from) + " events per batch on");
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One batch size: events/s of each, and the kernel's bytes/s against the theoretical bandwidth. */
    record Row(int events, double cpuPerSecond, double kernelPerSecond, double devicePerSecond, double aggregatePerSecond,
            double kernelBytesPerSecond, double peakBytesPerSecond, boolean sharedPath) {

        @Override
        public String toString() {
            return String.format("%,11d | %,12.0f | %,12.0f | %,12.0f | %,12.0f | %8.2fx | %9.1f | %7.1f%% | %s", events,
                    cpuPerSecond, kernelPerSecond, devicePerSecond, aggregatePerSecond, aggregatePerSecond / cpuPerSecond,
                    kernelBytesPerSecond / 1e9, 100 * kernelBytesPerSecond / peakBytesPerSecond, sharedPath ? "yes" : "no");
        }
    }
}
