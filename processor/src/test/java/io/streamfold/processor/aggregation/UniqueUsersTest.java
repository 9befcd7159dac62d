package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        assertThat(users.ids(0)).hasNumberOfRows(UniqueUsers.LISTED_USERS);
        assertThat(new String(users.ids(0)[UniqueUsers.LISTED_USERS - 1], StandardCharsets.UTF_8))
                .isEqualTo("user-" + (UniqueUsers.LISTED_USERS - 1));
        assertThat(Arrays.stream(users.ids(1)).map(id -> new String(id, StandardCharsets.UTF_8)))
                .as("one id per event, UTF-8").containsExactly("usér-x", "usér-x");

        users.add("one-too-many", 5 * HOUR);

        assertThat(users.ids(0)).as("past the limit only the sketch holds the hour's users").isNull();
        assertThat(users.ids(1)).hasNumberOfRows(2);
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
        assertThat(users.ids(0)).hasNumberOfRows(1);
        assertThat(users.users(0).dense()).isEqualTo(sketchOf("again"));
    }

    private static byte[] sketchOf(String user) {
        HyperLogLog sketch = new HyperLogLog();
        byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
        sketch.add(bytes, 0, bytes.length);
        return sketch.dense();
    }
}
