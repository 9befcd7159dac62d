package io.streamfold.contract.config;

import io.smallrye.config.WithDefault;
import io.streamfold.contract.KeyLayout;
import jakarta.validation.constraints.NotBlank;

/** Configuration group naming the stream and consumer group; nested under {@code streamfold.stream}. */
public interface StreamConfig {

    /** The stream's name; it becomes the hash tag of every key ({@code events} → {@code {events}}). */
    @WithDefault("events")
    @NotBlank
    String name();

    /** The consumer group all processors share. */
    @WithDefault("aggregators")
    @NotBlank
    String group();

    /** The key layout for this stream and group. */
    default KeyLayout keys() {
        return new KeyLayout(name(), group());
    }
}
