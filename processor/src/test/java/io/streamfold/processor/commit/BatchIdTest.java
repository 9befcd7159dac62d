package io.streamfold.processor.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchIdTest {

    private static final String IDS = "1796310830123-0 1796310830123-1 1796310830200-0";

    @Test
    void staysTheIdEarlierBuildsDerivedSoARetryAcrossAnUpgradeIsStillRecognised() {
        assertThat(of("aggregators", "processor-7f-1234", IDS)).isEqualTo("46e895c9d10b24734d357576efd7cc6a");
        assertThat(of("aggregators", "processor-7f-1234", "")).isEqualTo("1b3d168a0428af2cedb3bfa010ac94ca");
    }

    @Test
    void readsOnlyTheGivenLengthOfTheBuffer() {
        byte[] buffer = (IDS + " 1796310830300-0 and whatever a longer batch left behind").getBytes(StandardCharsets.US_ASCII);

        assertThat(BatchId.of("aggregators", "processor-7f-1234", buffer, IDS.length()))
                .isEqualTo(of("aggregators", "processor-7f-1234", IDS));
    }

    @Test
    void differsWithTheGroupTheConsumerOrAnyEntry() {
        String id = of("aggregators", "processor-7f-1234", IDS);

        assertThat(of("other-group", "processor-7f-1234", IDS)).isNotEqualTo(id);
        assertThat(of("aggregators", "processor-7f-9999", IDS)).isNotEqualTo(id);
        assertThat(of("aggregators", "processor-7f-1234", IDS.replace("200-0", "200-1"))).isNotEqualTo(id);
        assertThat(of("aggregators", "processor-7f-1234", IDS.substring(0, IDS.lastIndexOf(' ')))).isNotEqualTo(id);
    }

    private static String of(String group, String consumer, String ids) {
        byte[] bytes = ids.getBytes(StandardCharsets.US_ASCII);
        return BatchId.of(group, consumer, bytes, bytes.length);
    }
}
