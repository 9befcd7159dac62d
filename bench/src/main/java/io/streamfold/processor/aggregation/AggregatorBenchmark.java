package io.streamfold.processor.aggregation;

import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.ParseResult;
import io.streamfold.producer.load.EventGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU aggregation engine on one thread: parsed events (columns of ts, value and dimension ids)
 * in, cells out. {@code aggregate} is the backend alone ((minute, dimension, value) cells with
 * count, sum, min, max and histogram buckets); {@code aggregateAndRollUp} adds the all-time and
 * grand-total roll-ups and groups the histograms, i.e. the complete cell delta the commit sends.
 * Events come from the producer's generator (2 dimensions: 5 event types, 50 products; values
 * 0.01–500.00; times spread over {@code minutes} minutes). The score is batches per second;
 * events per second is the score times the batch size. Run with {@code bench/jmh.sh AggregatorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregatorBenchmark {

    @Param({"1000", "10000", "100000", "1000000"})
    int batchSize;

    /** Minutes the batch's event times spread over (1: a live stream; 60: replaying a backlog). */
    @Param({"1"})
    int minutes;

    private final CpuAggregator engine = new CpuAggregator();
    private final Rollup rollup = new Rollup();
    private BatchDelta delta;
    private CellDelta cells;

    @Setup
    public void generate() {
        EventSchema schema = EventSchema.defaults();
        EventParser parser = new EventParser(schema);
        EventGenerator generator = new EventGenerator(42, 50, 100_000);
        delta = new BatchDelta(schema.dimensions().size(), true);
        long start = System.currentTimeMillis() - minutes * 60_000L;
        for (int i = 0; i < batchSize; i++) {
            long ts = start + (long) i * minutes * 60_000L / batchSize;
            delta.add(((ParseResult.Parsed) parser.parse(generator.next(ts))).event());
        }
        cells = delta.cells();
    }

    @Benchmark
    public int aggregate() {
        cells.clear();
        engine.aggregate(delta.events(), cells);
        return cells.size();
    }

    @Benchmark
    public int aggregateAndRollUp() {
        cells.clear();
        engine.aggregate(delta.events(), cells);
        rollup.addTo(cells);
        return cells.size();
    }
}
