package io.streamfold.processor.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.processor.aggregation.EventColumns;
import org.junit.jupiter.api.Test;

/** The packing the kernel relies on, on a batch small enough to check by hand. */
class KernelInputTest {

    private static final long MINUTE = 60_000L;

    @Test
    void packsDistinctMinutesAscendingAndDenseCellIdsPerEventAndDimension() {
        EventColumns events = new EventColumns(2);
        events.add(new int[] {1, 2}, 10, 7 * MINUTE + 5);
        events.add(new int[] {0, 0}, -3, 5 * MINUTE);
        events.add(new int[] {1, 4}, 0, -MINUTE + 1);

        KernelInput input = KernelInput.pack(events, new int[] {2, 5});

        // total values 2 + 5 = 7; offsets 0 and 2
        assertThat(input.minutes()).containsExactly(-1, 5, 7);
        assertThat(input.minuteIndex()).containsExactly(2, 1, 0);
        assertThat(input.values()).containsExactly(10, -3, 0);
        assertThat(input.cellIds()).containsExactly(2 * 7 + 1, 2 * 7 + 2 + 2, 7, 7 + 2, 1, 2 + 4);
        assertThat(input.cells()).isEqualTo(3 * 7);
        assertThat(input.tableSize()).isEqualTo(16);
        assertThat(input.sharedBytes(48 * 1024)).isEqualTo(21 * KernelInput.CELL_BYTES);
        assertThat(input.sharedBytes(21 * KernelInput.CELL_BYTES - 1)).isZero();
    }

    @Test
    void withoutDictionarySizesEachDimensionIsBoundedByItsLargestIdInTheBatch() {
        EventColumns events = new EventColumns(2);
        events.add(new int[] {1, 2}, 10, 7 * MINUTE + 5);
        events.add(new int[] {0, 0}, -3, 5 * MINUTE);
        events.add(new int[] {1, 4}, 0, -MINUTE + 1);

        KernelInput derived = KernelInput.pack(events);

        // sizes 2 and 5, as in the test above: the same packing
        KernelInput given = KernelInput.pack(events, new int[] {2, 5});
        assertThat(derived.cellIds()).containsExactly(given.cellIds());
        assertThat(derived.cells()).isEqualTo(21);
    }

    @Test
    void minutesSpanningMoreThanTheDenseRangeAreIndexedBySortingToTheSameLayout() {
        long far = 2 * KernelInput.DENSE_MINUTE_RANGE;
        EventColumns events = new EventColumns(1);
        events.add(new int[] {0}, 1, far * MINUTE);
        events.add(new int[] {1}, 2, 5 * MINUTE);
        events.add(new int[] {0}, 3, far * MINUTE + 59_999);
        events.add(new int[] {1}, 4, -MINUTE);

        KernelInput input = KernelInput.pack(events, new int[] {2});

        assertThat(input.minutes()).containsExactly(-1, 5, far);
        assertThat(input.minuteIndex()).containsExactly(2, 1, 2, 0);
        assertThat(input.cellIds()).containsExactly(2 * 2, 2 + 1, 2 * 2, 1);
    }

    @Test
    void anEmptyBatchHasNoCellsAndUsesNoSharedMemory() {
        KernelInput input = KernelInput.pack(new EventColumns(2), new int[] {3, 3});

        assertThat(input.cells()).isZero();
        assertThat(input.sharedBytes(48 * 1024)).isZero();
        assertThat(input.tableSize()).isEqualTo(2);
    }

    @Test
    void rejectsAnIdOutsideItsDictionaryAndAValueWithoutABucket() {
        EventColumns outside = new EventColumns(1);
        outside.add(new int[] {3}, 1, 0);
        assertThatThrownBy(() -> KernelInput.pack(outside, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event 0, dimension 0: expected an id in [0, 3), got 3");

        EventColumns minValue = new EventColumns(1);
        minValue.add(new int[] {0}, Long.MIN_VALUE, 0);
        assertThatThrownBy(() -> KernelInput.pack(minValue, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event 0: value Long.MIN_VALUE has no histogram bucket");
    }
}
