package io.streamfold.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupInfoTest {

    @Test
    void readsEveryGroupOfAnXinfoGroupsReply() {
        List<Object> reply = List.of(
                List.of("name", "aggregators", "consumers", 3L, "pending", 12L, "last-delivered-id", "5-0",
                        "entries-read", 40L, "lag", 2L),
                Arrays.asList("name", "old", "consumers", 0L, "pending", 0L, "last-delivered-id", "0-0",
                        "entries-read", null, "lag", null));

        assertThat(GroupInfo.parseAll(reply)).containsExactly(
                new GroupInfo("aggregators", 3, 12, "5-0", Optional.of(40L), Optional.of(2L)),
                new GroupInfo("old", 0, 0, "0-0", Optional.empty(), Optional.empty()));
        assertThat(GroupInfo.find(reply, "old")).map(GroupInfo::consumers).contains(0L);
        assertThat(GroupInfo.find(reply, "missing")).isEmpty();
    }
}
