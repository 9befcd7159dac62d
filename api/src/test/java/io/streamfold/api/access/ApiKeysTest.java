package io.streamfold.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.Startup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String SIXTEEN = "0123456789abcdef";

    @Test
    void refusesAKeyShorterThanSixteenCharactersNamingItButNotShowingIt() {
        String shortKey = "fifteen-chars-x";

        assertThatThrownBy(() -> new ApiKeys(Map.of("ingest", SIXTEEN, "local", shortKey)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfold.access.keys.local has 15 characters, fewer than 16")
                .message().doesNotContain(shortKey);
    }

    @Test
    void isMadeAtStartUpSoAShortKeyStopsTheApiFromStarting() {
        assertThat(ApiKeys.class.isAnnotationPresent(Startup.class)).isTrue();
    }

    @Test
    void namesThePresentedKeyOnlyWhenItIsOneOfTheConfiguredKeys() {
        ApiKeys keys = new ApiKeys(Map.of("ingest", SIXTEEN, "admin", SIXTEEN + "-admin"));

        assertThat(keys.nameOf(SIXTEEN)).contains("ingest");
        assertThat(keys.nameOf(SIXTEEN + "-admin")).contains("admin");
        assertThat(keys.nameOf(SIXTEEN.substring(1))).isEmpty();
        assertThat(keys.nameOf("")).isEmpty();
        assertThat(new ApiKeys(Map.of()).nameOf(SIXTEEN)).isEmpty();
    }
}
