package io.streamfold.processor.aggregation;

import io.streamfold.contract.ValueHistogram;

/**
 * The CPU engine: one pass over the event columns, each event's bucket computed once and added to
 * its cell of every dimension. Allocation-free once the delta's storage has grown. Not thread-safe.
 */
public final class CpuAggregator implements Aggregator {

    @Override
    public void aggregate(EventColumns events, CellDelta delta) {
        long[] timestamps = events.timestamps();
        long[] values = events.values();
        int dimensions = events.dimensions();
        long lastMinute = Long.MIN_VALUE;
        long minuteStart = 0;
        long minuteEnd = Long.MIN_VALUE;
        for (int i = 0, n = events.size(); i < n; i++) {
            long ts = timestamps[i];
            if (ts < minuteStart || ts >= minuteEnd) {
                lastMinute = Aggregator.minuteOf(ts);
                minuteStart = lastMinute * 60_000L;
                minuteEnd = minuteStart + 60_000L;
            }
            long value = values[i];
            int bucket = ValueHistogram.bucket(value);
            for (int d = 0; d < dimensions; d++) {
                delta.add(delta.cell(lastMinute, d, events.ids(d)[i]), value, bucket);
            }
        }
    }

    @Override
    public String name() {
        return "cpu";
    }
}
