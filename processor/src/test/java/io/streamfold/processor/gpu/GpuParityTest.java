package io.streamfold.processor.gpu;

import static io.streamfold.processor.gpu.KernelBatches.DIMENSIONS;
import static io.streamfold.processor.gpu.KernelBatches.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.contract.Event;
import io.streamfold.processor.aggregation.BatchDelta;
import io.streamfold.processor.aggregation.CellDelta;
import io.streamfold.processor.aggregation.CellDifference;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.aggregation.EventColumns;
import io.streamfold.processor.aggregation.ReferenceAggregates;
import io.streamfold.processor.aggregation.SyntheticBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a real CUDA device: {@link GpuAggregator} gives exactly the CPU engine's cells on the batches
 * the kernel is proven on under the emulator ({@link KernelBatches}), on million-event batches
 * through the shared-memory and the global-atomics path, and again on small batches once its
 * buffers have grown. Skipped, with the probe's reason, where no device is usable (this machine, CI);
 * run on a GPU host by {@code bench/gpu-bundle.sh}'s bundle.
 */
class GpuParityTest {

    private static GpuAggregator gpu;

    /** Each test skips itself with the probe's reason, so the reports say why; the device is opened once. */
    @BeforeEach
    void requireADevice() {
        CudaProbe probe = CudaProbe.once();
        Assumptions.assumeTrue(probe.available(), probe.reason());
        if (gpu == null) {
            gpu = GpuAggregator.open(probe.device().orElseThrow());
        }
    }

    @AfterAll
    static void closeTheDevice() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void everyBatchOfTheEmulatorTestsGivesExactlyTheCpuEnginesCells() {
        for (Map.Entry<String, List<Event>> batch : KernelBatches.all().entrySet()) {
            BatchDelta cpu = fill(batch.getValue());
            cpu.aggregate(new CpuAggregator());
            BatchDelta device = fill(batch.getValue());
            device.aggregate(gpu);

            assertThat(ReferenceAggregates.cellsOf(device, DIMENSIONS)).as(batch.getKey())
                    .isEqualTo(ReferenceAggregates.cellsOf(cpu, DIMENSIONS));
        }
    }

    @Test
    void millionEventBatchesOnBothPathsThenSmallOnesOnTheGrownBuffersGiveTheCpuEnginesCells() {
        LaunchShape.Limits limits = gpu.device().limits();
        // 2 minutes x 2 x 64 values: 8 KiB of cells, the shared-memory path
        assertSameCells(1_000_000, 64, 2, 1, limits, true);
        // 30 minutes x 2 x 5,000 values: 9.6 MB of cells, the global-atomics path
        assertSameCells(1_000_000, 5_000, 30, 2, limits, false);
        assertSameCells(1_000, 64, 2, 3, limits, true);
        assertSameCells(1, 64, 2, 4, limits, true);
    }

    @Test
    void aClosedAggregatorRefusesWorkAndClosesOnce() {
        GpuAggregator other = GpuAggregator.open(gpu.device());
        other.close();
        other.close();

        assertThatThrownBy(() -> other.aggregate(new EventColumns(1), new CellDelta()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the GPU aggregator is closed");
    }

    private static void assertSameCells(int events, int values, int minutes, long seed, LaunchShape.Limits limits,
            boolean sharedPath) {
        EventColumns batch = new EventColumns(2);
        SyntheticBatch.fill(batch, events, values, minutes, seed);
        assertThat(LaunchShape.of(KernelInput.pack(batch), limits).sharedBytes() > 0).as("shared-memory path")
                .isEqualTo(sharedPath);
        CellDelta expected = new CellDelta();
        new CpuAggregator().aggregate(batch, expected);
        CellDelta actual = new CellDelta();

        gpu.aggregate(batch, actual);

        assertThat(CellDifference.between(expected, actual)).as(events + " events").isEmpty();
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(gpu.lastTimes().kernelMs()).as("kernel time from CUDA events").isPositive();
    }
}
