package io.streamfold.processor.assemble;

import io.streamfold.contract.EventParser;
import io.streamfold.contract.ParseResult;
import io.streamfold.contract.Rejection;
import io.streamfold.contract.Rejection.Reason;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.commit.Batch;
import io.streamfold.processor.read.RawEntries;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/** Turns the entries of a read into a {@link Batch}: valid events into its delta, the rest into dead letters. */
public final class BatchAssembler {

    private static final Logger LOG = Logger.getLogger(BatchAssembler.class);

    /** Reason of dead letters delivered more often than allowed. */
    static final String TOO_MANY_DELIVERIES = "too_many_deliveries";

    /** Reason of dead letters whose assembly failed with an exception (see {@link #fillFailed}). */
    static final String PROCESSING_FAILED = "processing_failed";

    private final RawEntryParser reader;
    private final Aggregator aggregator;
    private final EventParser parser;
    private final String stream;
    private final long maxDeliveries;

    public BatchAssembler(RawEntryParser reader, Aggregator aggregator, EventParser parser, String stream, long maxDeliveries) {
        this.reader = reader;
        this.aggregator = aggregator;
        this.parser = parser;
        this.stream = stream;
        this.maxDeliveries = maxDeliveries;
    }

    /**
     * Fills {@code batch} (cleared first), aggregates its events and returns how many entries were deleted from the stream
     * before being read.
     *
     * @param only       the ids to take; {@code null} for all
     * @param deliveries delivery count per entry id, for redelivered entries; empty for new ones (delivered once)
     */
    public int fill(Batch batch, RawEntries entries, Set<String> only, Map<String, Long> deliveries) {
        batch.clear();
        int deleted = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (only != null && !only.contains(entries.id(i))) {
                continue;
            }
            batch.addEntryId(entries.idStorage(), entries.idOffset(i), entries.idLength(i));
            if (entries.deleted(i)) {
                deleted++;
                continue;
            }
            long delivered = deliveries.isEmpty() ? 1L : deliveries.getOrDefault(entries.id(i), 1L);
            if (delivered > maxDeliveries) {
                deadLetter(batch, entries, i, TOO_MANY_DELIVERIES,
                        "delivered " + delivered + " times; at most " + maxDeliveries + " are allowed", delivered);
                continue;
            }
            String notUtf8 = entries.notUtf8(i);
            if (notUtf8 != null) {
                deadLetter(batch, entries, i, Reason.INVALID_UTF8.code(), notUtf8 + " is not valid UTF-8", delivered);
            } else if (!reader.tryAdd(entries, i, batch)) {
                parse(batch, entries, i, delivered);
            }
        }
        batch.delta().aggregate(aggregator);
        return deleted;
    }

    /**
     * Fills {@code batch} (cleared first) with the one entry {@code id}, as a dead letter: assembling it failed with
     * {@code failure} even on its own. Returns 1 if it was deleted from the stream before being read (no dead letter
     * then), else 0.
     */
    public int fillFailed(Batch batch, RawEntries entries, String id, Map<String, Long> deliveries, RuntimeException failure) {
        batch.clear();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.id(i).equals(id)) {
                batch.addEntryId(entries.idStorage(), entries.idOffset(i), entries.idLength(i));
                if (entries.deleted(i)) {
                    return 1;
                }
                String detail = "processing this entry failed: " + failure;
                LOG.warnf(failure, "Dead-lettering entry %s of %s: %s", id, stream, detail);
                batch.addDeadLetter(new Batch.DeadLetter(id, PROCESSING_FAILED, detail,
                        deliveries.getOrDefault(id, 1L), entries.fieldMap(i)));
                return 0;
            }
        }
        throw new IllegalArgumentException("no entry " + id + " among the entries read");
    }

    private void deadLetter(Batch batch, RawEntries entries, int entry, String reason, String detail, long delivered) {
        String id = entries.id(entry);
        LOG.warnf("Dead-lettering entry %s of %s: %s", id, stream, detail);
        batch.addDeadLetter(new Batch.DeadLetter(id, reason, detail, delivered, entries.fieldMap(entry)));
    }

    /** The full parser, for entries the fast reader declined: it accepts them or says precisely why not. */
    private void parse(Batch batch, RawEntries entries, int entry, long delivered) {
        Map<String, String> fields = entries.fieldMap(entry);
        ParseResult result = parser.parse(fields);
        if (result instanceof ParseResult.Parsed parsed) {
            batch.addEvent(parsed.event());
        } else {
            Rejection rejection = ((ParseResult.Rejected) result).rejection();
            String id = entries.id(entry);
            LOG.warnf("Dead-lettering entry %s of %s: %s", id, stream, rejection.message());
            batch.addDeadLetter(new Batch.DeadLetter(id, rejection.reason().code(), rejection.message(), delivered, fields));
        }
    }
}
