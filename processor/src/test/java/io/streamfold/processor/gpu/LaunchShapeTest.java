package io.streamfold.processor.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.processor.aggregation.EventColumns;
import org.junit.jupiter.api.Test;

/** The launch the host derives from a batch and a device's limits, on an H100's limits. */
class LaunchShapeTest {

    /** H100 SXM: 132 SMs, 2,048 threads and 228 KiB shared memory each, 227 KiB opt-in per block, 1 KiB reserved. */
    private static final LaunchShape.Limits H100 = new LaunchShape.Limits(132, 2_048, 232_448, 233_472, 1_024);

    @Test
    void aLargeBatchWithFewCellsFillsEveryMultiprocessorWithEightBlocksSharingMemory() {
        KernelInput input = batch(300_000, 1, new int[] {4, 64}); // 68 cells, 2,176 bytes

        assertThat(LaunchShape.of(input, H100)).isEqualTo(new LaunchShape(132 * 8, 256, 68 * 32));
    }

    @Test
    void aSmallBatchGetsOneBlockPer256Events() {
        assertThat(LaunchShape.of(batch(1_000, 1, new int[] {4, 64}), H100)).isEqualTo(new LaunchShape(4, 256, 68 * 32));
        assertThat(LaunchShape.of(batch(1, 1, new int[] {4, 64}), H100)).isEqualTo(new LaunchShape(1, 256, 68 * 32));
    }

    @Test
    void cellsNeedingOver100KibOfSharedMemoryLeaveRoomForTwoBlocksPerMultiprocessor() {
        KernelInput input = batch(300_000, 1, new int[] {100, 3_100}); // 3,200 cells, 102,400 bytes

        // 233,472 / (102,400 + 1,024) = 2
        assertThat(LaunchShape.of(input, H100)).isEqualTo(new LaunchShape(132 * 2, 256, 102_400));
    }

    @Test
    void cellsBeyondTheOptInLimitUseGlobalAtomicsWithoutSharedMemory() {
        KernelInput input = batch(300_000, 1, new int[] {100, 7_165}); // 7,265 cells, 232,480 bytes > 232,448

        assertThat(LaunchShape.of(input, H100)).isEqualTo(new LaunchShape(132 * 8, 256, 0));
    }

    @Test
    void anEmptyBatchStillHasOneBlockAndNoSharedMemory() {
        assertThat(LaunchShape.of(batch(0, 1, new int[] {4, 64}), H100)).isEqualTo(new LaunchShape(1, 256, 0));
    }

    /** {@code events} events spread over {@code minutes} minutes, packed against the given dictionary sizes. */
    private static KernelInput batch(int events, int minutes, int[] dictionarySizes) {
        EventColumns columns = new EventColumns(dictionarySizes.length);
        int[] ids = new int[dictionarySizes.length];
        for (int i = 0; i < events; i++) {
            for (int d = 0; d < ids.length; d++) {
                ids[d] = i % dictionarySizes[d];
            }
            columns.add(ids, i, (i % minutes) * 60_000L);
        }
        return KernelInput.pack(columns, dictionarySizes);
    }
}
