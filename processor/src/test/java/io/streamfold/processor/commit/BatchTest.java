package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void holdsItsEntryIdsInOrderSeparatedBySingleSpacesHoweverManyThereAre() {
        Batch batch = new Batch(2);
        List<String> ids = new ArrayList<>();
        byte[] source = "xx1796310830123-0yy".getBytes(StandardCharsets.US_ASCII);
        batch.addEntryId(source, 2, 15);
        ids.add("1796310830123-0");
        for (int i = 1; i <= 3_000; i++) {
            String id = (1796310830123L + i) + "-" + (i % 7);
            TestBatches.addEntryId(batch, id);
            ids.add(id);
        }

        assertThat(batch.entries()).isEqualTo(3_001);
        assertThat(new String(batch.entryIds(), 0, batch.entryIdsLength(), StandardCharsets.US_ASCII))
                .isEqualTo(String.join(" ", ids));
    }

    @Test
    void startsEmptyAgainAfterClear() {
        Batch batch = new Batch(2);
        TestBatches.addEntryId(batch, "1-0");
        TestBatches.addEntryId(batch, "2-0");

        batch.clear();
        TestBatches.addEntryId(batch, "3-0");

        assertThat(batch.entries()).isEqualTo(1);
        assertThat(new String(batch.entryIds(), 0, batch.entryIdsLength(), StandardCharsets.US_ASCII)).isEqualTo("3-0");
    }
}
