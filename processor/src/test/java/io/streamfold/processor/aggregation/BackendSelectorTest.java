package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every path of the choice, with the probe, the opening of the device and the calibration passed
 * in: what the real probe answers without a driver or device is {@link NoGpuTest}'s; here a
 * "device" is a description and the backend standing in for the GPU is the CPU engine under
 * another name (or a deliberately wrong one), so the choice itself is what is tested.
 */
class BackendSelectorTest {

    private static final Gpu.Probe FOUND = new Gpu.Probe(true, null, "test device");
    private static final Gpu.Probe NO_DEVICE = new Gpu.Probe(false, Reason.NO_DEVICE, "no CUDA device: CUDA_ERROR_NO_DEVICE");
    private static final Calibration.Result FASTER = new Calibration.Result(1_000, 1_000_000, 400_000, Optional.empty());
    private static final Calibration.Result SLOWER = new Calibration.Result(1_000, 1_000_000, 950_000, Optional.empty());

    @Test
    void cpuRunsTheCpuEngineWithoutProbing() {
        BackendSelector selector = new BackendSelector(() -> {
            throw new AssertionError("probed although backend=cpu");
        }, () -> {
            throw new AssertionError("opened although backend=cpu");
        }, gpu -> {
            throw new AssertionError("calibrated although backend=cpu");
        });

        BackendChoice choice = selector.select(Backend.CPU);

        assertThat(choice.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(choice.describe()).isEqualTo("cpu (backend=cpu; configured_cpu: streamfold.aggregation.backend=cpu)");
    }

    @Test
    void autoWithoutADeviceRunsTheCpuEngineWithTheProbesReason() {
        BackendChoice choice = new BackendSelector(() -> NO_DEVICE, () -> {
            throw new AssertionError("opened without a device");
        }, gpu -> FASTER).select(Backend.AUTO);

        assertThat(choice.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(choice.reason()).isEqualTo(Reason.NO_DEVICE);
        assertThat(choice.detail()).isEqualTo("no CUDA device: CUDA_ERROR_NO_DEVICE");
    }

    @Test
    void gpuWithoutADeviceRefusesToStartSayingWhy() {
        BackendSelector selector = new BackendSelector(() -> NO_DEVICE, () -> new StandIn(), gpu -> FASTER);

        assertThatThrownBy(() -> selector.select(Backend.GPU)).isInstanceOfSatisfying(GpuUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NO_DEVICE))
                .hasMessage("streamfold.aggregation.backend=gpu, but the GPU backend cannot run (no_device): no CUDA device: "
                        + "CUDA_ERROR_NO_DEVICE");
    }

    @Test
    void aModuleThatDoesNotLoadLeavesAutoOnTheCpuAndFailsGpu() {
        BackendSelector selector = new BackendSelector(() -> FOUND, () -> {
            throw new GpuUnavailableException(Reason.GPU_INIT_FAILED, "could not load the kernel: CUDA_ERROR_INVALID_IMAGE", null);
        }, gpu -> FASTER);

        BackendChoice auto = selector.select(Backend.AUTO);
        assertThat(auto.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(auto.reason()).isEqualTo(Reason.GPU_INIT_FAILED);
        assertThat(auto.detail()).isEqualTo("could not load the kernel: CUDA_ERROR_INVALID_IMAGE");
        assertThatThrownBy(() -> selector.select(Backend.GPU)).isInstanceOf(GpuUnavailableException.class)
                .hasMessage("streamfold.aggregation.backend=gpu, but the GPU backend cannot run (gpu_init_failed): "
                        + "could not load the kernel: CUDA_ERROR_INVALID_IMAGE");
    }

    @Test
    void aBackendWhoseCellsDifferIsClosedAndRefusedByAutoAndByGpu() {
        StandIn wrong = new StandIn(1);
        BackendSelector selector = new BackendSelector(() -> FOUND, () -> wrong,
                gpu -> Calibration.run(new CpuAggregator(), gpu, 300, 2));

        BackendChoice auto = selector.select(Backend.AUTO);
        assertThat(auto.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(auto.reason()).isEqualTo(Reason.CELLS_DIFFER);
        assertThat(auto.detail()).startsWith("the GPU's cells differ from the CPU engine's on a start-up batch of 300 events, "
                + "so it is not used: cell (minute ").contains("): sum ");
        assertThat(wrong.closed).isTrue();
        assertThatThrownBy(() -> selector.select(Backend.GPU)).isInstanceOfSatisfying(GpuUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CELLS_DIFFER));
    }

    @Test
    void autoKeepsTheGpuOnlyWhenTheCalibrationFindsItFaster() {
        StandIn fast = new StandIn();
        BackendChoice faster = new BackendSelector(() -> FOUND, () -> fast, gpu -> FASTER).select(Backend.AUTO);
        assertThat(faster.aggregator()).isInstanceOf(CpuFallback.class);
        assertThat(faster.describe()).isEqualTo(
                "stand-in (backend=auto; gpu_faster: GPU 0.400 ms vs CPU 1.000 ms per 1000-event batch (median of 5))");
        assertThat(fast.closed).isFalse();

        StandIn slow = new StandIn();
        BackendChoice slower = new BackendSelector(() -> FOUND, () -> slow, gpu -> SLOWER).select(Backend.AUTO);
        assertThat(slower.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(slower.describe()).isEqualTo(
                "cpu (backend=auto; cpu_faster: GPU 0.950 ms vs CPU 1.000 ms per 1000-event batch (median of 5))");
        assertThat(slow.closed).isTrue();
    }

    @Test
    void gpuKeepsAGpuThatGivesTheRightCellsEvenWhenItIsSlower() {
        BackendChoice choice = new BackendSelector(() -> FOUND, () -> new StandIn(), gpu -> SLOWER).select(Backend.GPU);

        assertThat(choice.aggregator()).isInstanceOf(CpuFallback.class);
        assertThat(choice.reason()).isEqualTo(Reason.CONFIGURED_GPU);
        assertThat(choice.cpuFallbacks()).isZero();
    }

    @Test
    void aGpuThatFailsOnTheStartUpBatchesIsClosedAndLeavesAutoOnTheCpu() {
        StandIn failing = new StandIn();
        BackendChoice choice = new BackendSelector(() -> FOUND, () -> failing, gpu -> {
            throw new IllegalStateException("GPU aggregation failed: CUDA_ERROR_LAUNCH_FAILED");
        }).select(Backend.AUTO);

        assertThat(choice.aggregator()).isInstanceOf(CpuAggregator.class);
        assertThat(choice.reason()).isEqualTo(Reason.GPU_INIT_FAILED);
        assertThat(choice.detail()).isEqualTo("the GPU failed on the start-up batches: "
                + "java.lang.IllegalStateException: GPU aggregation failed: CUDA_ERROR_LAUNCH_FAILED");
        assertThat(failing.closed).isTrue();
    }

    /** Stands in for the GPU backend: the CPU engine, with every value off by {@code error} units. */
    private static final class StandIn implements Aggregator {

        private final long error;
        private final CpuAggregator cpu = new CpuAggregator();
        private final EventColumns shifted = new EventColumns(2);
        private boolean closed;

        StandIn() {
            this(0);
        }

        StandIn(long error) {
            this.error = error;
        }

        @Override
        public void aggregate(EventColumns events, CellDelta delta) {
            shifted.clear();
            for (int i = 0; i < events.size(); i++) {
                shifted.add(new int[] {events.ids(0)[i], events.ids(1)[i]}, events.values()[i] + error,
                        events.timestamps()[i]);
            }
            cpu.aggregate(shifted, delta);
        }

        @Override
        public String name() {
            return "stand-in";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
