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

    private final EventParser parser;
    private final String stream;

    BatchAssembler(EventParser parser, String stream) {
        this.parser = parser;
        this.stream = stream;
    }

    /** Fills {@code batch} (cleared first) and returns how many entries were deleted from the stream before being read. */
    int fill(Batch batch, List<StreamMessage<String, String>> messages) {
        batch.clear();
        int deleted = 0;
        for (StreamMessage<String, String> message : messages) {
            batch.addEntryId(message.getId());
            Map<String, String> body = message.getBody();
            if (body == null || body.isEmpty()) {
                deleted++;
                continue;
            }
            ParseResult result = parser.parse(body);
            if (result instanceof ParseResult.Parsed parsed) {
                batch.delta().add(parsed.event());
            } else {
                Rejection rejection = ((ParseResult.Rejected) result).rejection();
                LOG.warnf("Dead-lettering entry %s of %s: %s", message.getId(), stream, rejection.message());
                batch.addDeadLetter(new Batch.DeadLetter(message.getId(), rejection.reason().code(), rejection.message(), body));
            }
        }
        return deleted;
    }
}
