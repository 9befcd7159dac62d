package io.streamfold.processor.gpu;

import static io.streamfold.processor.aggregation.RandomEventLists.EXTREMES;
import static io.streamfold.processor.aggregation.RandomEventLists.NOW;
import static io.streamfold.processor.aggregation.RandomEventLists.randomEvents;

import io.streamfold.contract.Event;
import io.streamfold.processor.aggregation.BatchDelta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches the kernel is proven on: under the CPU emulator ({@link EmulatedKernelTest}) and on a
 * real device ({@link GpuParityTest}), the same ones.
 */
final class KernelBatches {

    static final List<String> DIMENSIONS = List.of("event_type", "product");
    static final int[] SHARED_SEEDS = {1, 2, 3};
    static final int[] GLOBAL_SEEDS = {4, 5};
    static final int OVER_A_SMALL_LIMIT_SEED = 6;

    private KernelBatches() {
    }

    /** 2,000 events over 30 minutes, 4 event types, 10 products: 420 cells, which fit in 48 KiB of shared memory. */
    static List<Event> fitInSharedMemory(int seed) {
        return randomEvents(new SplittableRandom(seed), 2_000, 30 * 60_000L, 10);
    }

    /** 3,000 events over 5 hours, 300 products: tens of thousands of cells, beyond any block's shared memory. */
    static List<Event> manyValuesOverHours(int seed) {
        return randomEvents(new SplittableRandom(seed), 3_000, 5 * 3_600_000L, 300);
    }

    static List<Event> oneEvent() {
        return List.of(new Event("e", "u", "s", List.of("view", "p"), -129, NOW));
    }

    /** 1,500 events in one (minute, event type, product), cycling through the extreme values. */
    static List<Event> allInOneCell() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            events.add(new Event("e" + i, "u", "s", List.of("view", "p"), EXTREMES[i % EXTREMES.length], NOW));
        }
        return events;
    }

    /** Every batch above, by name. */
    static Map<String, List<Event>> all() {
        Map<String, List<Event>> batches = new LinkedHashMap<>();
        for (int seed : SHARED_SEEDS) {
            batches.put("fits in shared memory, seed " + seed, fitInSharedMemory(seed));
        }
        for (int seed : GLOBAL_SEEDS) {
            batches.put("many values over hours, seed " + seed, manyValuesOverHours(seed));
        }
        batches.put("fits in shared memory, seed " + OVER_A_SMALL_LIMIT_SEED, fitInSharedMemory(OVER_A_SMALL_LIMIT_SEED));
        batches.put("empty", List.of());
        batches.put("one event", oneEvent());
        batches.put("all in one cell, extreme values", allInOneCell());
        return batches;
    }

    static BatchDelta fill(List<Event> events) {
        BatchDelta delta = new BatchDelta(DIMENSIONS.size(), true);
        events.forEach(delta::add);
        return delta;
    }
}
