package io.streamfold.processor.gpu;

import static io.streamfold.processor.aggregation.RandomEventLists.EXTREMES;
import static io.streamfold.processor.aggregation.RandomEventLists.MAX_ABS;
import static io.streamfold.processor.gpu.KernelBatches.DIMENSIONS;
import static io.streamfold.processor.gpu.KernelBatches.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamfold.contract.Event;
import io.streamfold.contract.ValueHistogram;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.BatchDelta;
import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.aggregation.ReferenceAggregates;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code aggregate.cu}, unchanged, run on the CPU by the emulator ({@code src/test/cuda/cuda_emu.h})
 * between the real host packing ({@link KernelInput}) and unpacking ({@link KernelOutput}): after
 * {@code Rollup} its cells must be exactly the CPU engine's and the naive reference's, through the
 * shared-memory path and the global-atomics path. Every batch also runs in a ThreadSanitizer build,
 * which must report nothing (a missing {@code __syncthreads()} shows up there as a data race).
 * Each batch is launched with the grid, block and shared memory {@link LaunchShape} gives the JCuda
 * host, on the limits of a small emulated device (4 multiprocessors of one 256-thread block each).
 */
class EmulatedKernelTest {

    /** The default dynamic shared memory of a block without opting in to more. */
    private static final int SHARED_LIMIT = 48 * 1024;
    private static final Path BUILD = Path.of("target", "emulated-kernel");

    private static Path plain;
    private static Path tsan;

    @BeforeAll
    static void buildTheDriverFromTheKernelSource() throws Exception {
        Files.createDirectories(BUILD);
        plain = compile("driver", "-O1");
        tsan = compile("driver-tsan", "-O1", "-g", "-fsanitize=thread");
    }

    @Test
    void randomBatchesWhoseCellsFitInSharedMemoryGiveExactlyTheCpuEnginesCells() throws Exception {
        for (int seed : KernelBatches.SHARED_SEEDS) {
            List<Event> events = KernelBatches.fitInSharedMemory(seed);
            assertThat(pack(events).sharedBytes(SHARED_LIMIT)).as("shared path taken").isPositive();
            assertSameCellsAsTheCpuEngine(events, SHARED_LIMIT);
        }
    }

    @Test
    void randomBatchesOverHoursWithManyValuesGoThroughGlobalAtomicsAndGiveTheSameCells() throws Exception {
        for (int seed : KernelBatches.GLOBAL_SEEDS) {
            List<Event> events = KernelBatches.manyValuesOverHours(seed);
            assertThat(pack(events).sharedBytes(SHARED_LIMIT)).as("global path taken").isZero();
            assertSameCellsAsTheCpuEngine(events, SHARED_LIMIT);
        }
    }

    @Test
    void aBatchWithMoreCellsThanTheSharedMemoryLimitGivesTheSameCellsThroughGlobalAtomics() throws Exception {
        List<Event> events = KernelBatches.fitInSharedMemory(KernelBatches.OVER_A_SMALL_LIMIT_SEED);
        assertThat(pack(events).sharedBytes(1_024)).as("global path taken").isZero();
        assertSameCellsAsTheCpuEngine(events, 1_024);
    }

    @Test
    void anEmptyBatchTouchesNoCell() throws Exception {
        BatchDelta delta = emulated(List.of(), plain, SHARED_LIMIT);
        assertThat(delta.cells().size()).isZero();
    }

    @Test
    void oneEventGivesItsThreeCells() throws Exception {
        List<Event> events = KernelBatches.oneEvent();
        assertSameCellsAsTheCpuEngine(events, SHARED_LIMIT);
        assertThat(emulated(events, plain, SHARED_LIMIT).cells().size()).as("its minute's product, event type and total")
                .isEqualTo(3);
    }

    @Test
    void allEventsInOneCellAddUpThereWithExtremeValuesOnBothPaths() throws Exception {
        List<Event> events = KernelBatches.allInOneCell();
        assertSameCellsAsTheCpuEngine(events, SHARED_LIMIT);
        assertSameCellsAsTheCpuEngine(events, 0);
        ReferenceAggregates.Cell cell = ReferenceAggregates.cellsOf(emulated(events, plain, 0), DIMENSIONS)
                .get(Math.floorDiv(events.get(0).ts(), 60_000L) + "|product|p");
        // 1,500 = 13 x 115 + 5: the first five extremes (MAX_ABS, -MAX_ABS, 0, 1, -1) once more
        assertThat(cell.toString()).isEqualTo("{count=1500, sum=" + sumOfExtremes(1_500) + ", min=" + -MAX_ABS
                + ", max=" + MAX_ABS + ", buckets={-3898=116, -256=115, -128=115, -127=115, -1=116, 0=116, 1=116,"
                + " 127=115, 128=115, 129=115, 255=115, 256=115, 3898=116}}");
        assertThat(ValueHistogram.bucket(MAX_ABS)).isEqualTo(3898);
    }

    private static long sumOfExtremes(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += EXTREMES[i % EXTREMES.length];
        }
        return sum;
    }

    private static void assertSameCellsAsTheCpuEngine(List<Event> events, int sharedLimit) throws Exception {
        BatchDelta cpu = fill(events);
        cpu.aggregate(new CpuAggregator());
        Map<String, ReferenceAggregates.Cell> expected = ReferenceAggregates.cellsOf(cpu, DIMENSIONS);
        ReferenceAggregates reference = new ReferenceAggregates(DIMENSIONS);
        reference.addAll(events);
        assertThat(expected).isEqualTo(reference.cells());

        // ThreadSanitizer first: a race then fails as a race report, not as the wrong numbers it may cause
        assertThat(ReferenceAggregates.cellsOf(emulated(events, tsan, sharedLimit), DIMENSIONS)).isEqualTo(expected);
        assertThat(ReferenceAggregates.cellsOf(emulated(events, plain, sharedLimit), DIMENSIONS)).isEqualTo(expected);
    }

    private static BatchDelta emulated(List<Event> events, Path driver, int sharedLimit) {
        BatchDelta delta = fill(events);
        delta.aggregate(new EmulatedAggregator(driver, sharedLimit));
        return delta;
    }

    private static KernelInput pack(List<Event> events) {
        BatchDelta delta = fill(events);
        return KernelInput.pack(delta.events());
    }

    /**
     * The kernel as an {@link Aggregator}, the way {@link GpuAggregator} runs it: packs, shapes the
     * launch, runs the emulator driver on a file instead of the device, unpacks.
     */
    private record EmulatedAggregator(Path driver, int sharedLimit) implements Aggregator {

        @Override
        public void aggregate(EventColumns events, CellDelta delta) {
            KernelInput input = KernelInput.pack(events);
            KernelOutput output = new KernelOutput(input);
            try {
                Path in = Files.createTempFile(BUILD, "batch", ".in");
                Path out = Files.createTempFile(BUILD, "batch", ".out");
                try {
                    writeInput(input, LaunchShape.of(input, emulatedDevice(sharedLimit)), in);
                    run(List.of(driver.toString(), in.toString(), out.toString()));
                    readOutput(out, output);
                } finally {
                    Files.deleteIfExists(in);
                    Files.deleteIfExists(out);
                }
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("emulated kernel run failed", e);
            }
            output.addTo(input, delta);
        }

        @Override
        public String name() {
            return "emulated-gpu";
        }
    }

    /** Four multiprocessors holding one 256-thread block each, with {@code sharedLimit} bytes of shared memory. */
    private static LaunchShape.Limits emulatedDevice(int sharedLimit) {
        return new LaunchShape.Limits(4, LaunchShape.THREADS, sharedLimit, sharedLimit, 0);
    }

    private static void writeInput(KernelInput input, LaunchShape shape, Path file) throws IOException {
        int n = input.events();
        ByteBuffer buffer = ByteBuffer.allocate(7 * 4 + n * 8 + input.cellIds().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(n).putInt(input.dimensions()).putInt(input.cells()).putInt(input.tableSize())
                .putInt(shape.blocks()).putInt(shape.threads()).putInt(shape.sharedBytes());
        for (int i = 0; i < n; i++) {
            buffer.putLong(input.values()[i]);
        }
        for (int id : input.cellIds()) {
            buffer.putInt(id);
        }
        Files.write(file, buffer.array());
    }

    private static void readOutput(Path file, KernelOutput output) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long[][] arrays = {output.counts(), output.sums(), output.mins(), output.maxs(), output.tableKeys(),
            output.tableCounts()};
        long expectedBytes = 0;
        for (long[] array : arrays) {
            expectedBytes += array.length * 8L;
        }
        assertThat(buffer.remaining()).as("driver output bytes").isEqualTo(expectedBytes);
        for (long[] array : arrays) {
            buffer.asLongBuffer().get(array);
            buffer.position(buffer.position() + array.length * 8);
        }
    }

    private static Path compile(String name, String... flags) throws IOException, InterruptedException {
        Path binary = BUILD.resolve(name).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("g++", "-std=c++20", "-pthread", "-Wall", "-Werror"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", binary.toString(), "src/test/cuda/driver.cpp"));
        try {
            run(command);
        } catch (IOException e) {
            fail("g++ (C++20) is required to run the CUDA kernel under the CPU emulator, and could not be started: "
                    + e.getMessage(), e);
        }
        return binary;
    }

    /** Runs a command to completion; fails on a non-zero exit or any ThreadSanitizer report. */
    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String output = new String(bytes, StandardCharsets.UTF_8);
        if (output.contains("ThreadSanitizer")) {
            fail("ThreadSanitizer reported a problem in " + String.join(" ", command) + ":\n" + output);
        }
        if (process.exitValue() != 0) {
            fail("exit " + process.exitValue() + " from " + String.join(" ", command) + ":\n" + output);
        }
    }
}
