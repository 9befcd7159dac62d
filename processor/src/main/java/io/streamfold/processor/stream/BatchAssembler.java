package io.streamfold.processor.stream;

import io.lettuce.core.StreamMessage;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.ParseResult;
import io.streamfold.contract.Rejection;
import io.streamfold.processor.commit.Batch;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Parses the entries of a read into a {@link Batch}: valid events into its delta, the rest into dead letters. */
final class BatchAssembler {

    private static final Logger LOG = Logger.getLogger(BatchAssembler.class);

    /** Reason of dead letters delivered more often than allowed. */
    static final String TOO_MANY_DELIVERIES = "too_many_deliveries";

    private final EventParser parser;
    private final String stream;
    private final long maxDeliveries;

    BatchAssembler(EventParser parser, String stream, long maxDeliveries) {
        this.parser = parser;
        this.stream = stream;
        this.maxDeliveries = maxDeliveries;
    }

    /**
     * Fills {@code batch} (cleared first) and returns how many entries were deleted from the stream
     * before being read.
     *
     * @param deliveries delivery count per entry id, for redelivered entries; empty for new ones (delivered once)
     */
    int fill(Batch batch, List<StreamMessage<String, String>> messages, Map<String, Long> deliveries) {
        batch.clear();
        int deleted = 0;
        for (StreamMessage<String, String> message : messages) {
            batch.addEntryId(message.getId());
            Map<String, String> body = message.getBody();
            if (body == null || body.isEmpty()) {
                deleted++;
                continue;
            }
            long delivered = deliveries.getOrDefault(message.getId(), 1L);
            if (delivered > maxDeliveries) {
                String detail = "delivered " + delivered + " times; at most " + maxDeliveries + " are allowed";
                LOG.warnf("Dead-lettering entry %s of %s: %s", message.getId(), stream, detail);
                batch.addDeadLetter(new Batch.DeadLetter(message.getId(), TOO_MANY_DELIVERIES, detail, delivered, body));
                continue;
            }
            ParseResult result = parser.parse(body);
            if (result instanceof ParseResult.Parsed parsed) {
                batch.addEvent(parsed.event());
            } else {
                Rejection rejection = ((ParseResult.Rejected) result).rejection();
                LOG.warnf("Dead-lettering entry %s of %s: %s", message.getId(), stream, rejection.message());
                batch.addDeadLetter(new Batch.DeadLetter(message.getId(), rejection.reason().code(), rejection.message(),
                        delivered, body));
            }
        }
        return deleted;
    }
}
