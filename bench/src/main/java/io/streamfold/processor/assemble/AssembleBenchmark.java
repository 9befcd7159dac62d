package io.streamfold.processor.assemble;

import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.processor.aggregation.CpuAggregator;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.read.RawEntries;
import io.streamfold.producer.load.EventGenerator;
import java.time.Clock;
import java.util.Map;
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
 * The processor's CPU path from decoded entries to a batch delta, on one thread: the fast byte
 * reader, dictionary lookups and cell updates ({@link BatchAssembler#fill}). Entries come from the
 * producer's generator (7 fields, 2 dimensions of 5 and 50 values). The score is batches per
 * second; events per second is the score times the batch size. Lives in the processor's package
 * to reach its package-private classes. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AssembleBenchmark {

    @Param({"1000", "10000", "100000", "1000000"})
    int batchSize;

    private RawEntries entries;
    private BatchAssembler assembler;
    private Batch batch;

    @Setup
    public void generate() {
        EventSchema schema = EventSchema.defaults();
        entries = new RawEntries(RawEntryParser.fieldNames(schema));
        EventGenerator generator = new EventGenerator(42, 50, 100_000);
        long now = System.currentTimeMillis();
        for (int i = 0; i < batchSize; i++) {
            entries.add(now + "-" + i, generator.next(now));
        }
        Clock clock = Clock.systemUTC();
        assembler = new BatchAssembler(new RawEntryParser(schema, clock), new CpuAggregator(), new EventParser(schema, clock),
                "{events}", 5);
        batch = new Batch(schema.dimensions().size());
    }

    @Benchmark
    public long assemble() {
        assembler.fill(batch, entries, null, Map.of());
        return batch.events();
    }
}
