package io.streamfold.processor.commit;

import java.nio.charset.StandardCharsets;

/** Batches built in tests from ids as Lettuce decodes them. */
final class TestBatches {

    private TestBatches() {
    }

    static void addEntryId(Batch batch, String id) {
        byte[] ascii = id.getBytes(StandardCharsets.US_ASCII);
        batch.addEntryId(ascii, 0, ascii.length);
    }
}
