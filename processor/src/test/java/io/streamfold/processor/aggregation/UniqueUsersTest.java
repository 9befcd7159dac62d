package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueUsersTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void keepsAnHoursUserIdsUpToTheLimitThenOnlyItsSketch() {
        UniqueUsers users = new UniqueUsers();
        for (int u = 0; u < UniqueUsers.LISTED_USERS; u++) {
            users.add("user-" + u, 5 * HOUR);
        }
        users.add("usér-x", 7 * HOUR + 1);
        users.add("usér-x", 7 * HOUR + 2);

        assertThat(users.size()).isEqualTo(2);
        assertThat(users.hour(0)).isEqualTo(5);
        assertThat(listed(users, 0)).hasSize(UniqueUsers.LISTED_USERS).first().isEqualTo("user-0");
        assertThat(listed(users, 0).get(UniqueUsers.LISTED_USERS - 1)).isEqualTo("user-" + (UniqueUsers.LISTED_USERS - 1));
        assertThat(listed(users, 1)).as("one id per event, UTF-8").containsExactly("usér-x", "usér-x");

        users.add("one-too-many", 5 * HOUR);

        assertThat(users.listedCount(0)).as("past the limit only the sketch holds the hour's users").isEqualTo(-1);
        assertThat(listed(users, 1)).hasSize(2);
    }

    @Test
    void startsEveryBatchWithNoUsers() {
        UniqueUsers users = new UniqueUsers();
        for (int u = 0; u <= UniqueUsers.LISTED_USERS; u++) {
            users.add("user-" + u, 5 * HOUR);
        }
        users.clear();
        users.add("again", 9 * HOUR);

        assertThat(users.size()).isEqualTo(1);
        assertThat(users.hour(0)).isEqualTo(9);
        assertThat(listed(users, 0)).containsExactly("again");
        assertThat(users.users(0).dense()).isEqualTo(sketchOf("again"));
    }

    /** The hour's listed ids, decoded from where they are held. */
    private static List<String> listed(UniqueUsers users, int hour) {
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < users.listedCount(hour); k++) {
            int start = users.listedStart(hour, k);
            ids.add(new String(users.listedStorage(hour), start, users.listedEnd(hour, k) - start, StandardCharsets.UTF_8));
        }
        return ids;
    }

    private static byte[] sketchOf(String user) {
        HyperLogLog sketch = new HyperLogLog();
        byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
        sketch.add(bytes, 0, bytes.length);
        return sketch.dense();
    }
}
