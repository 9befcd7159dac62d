package io.streamfold.testsupport;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps settings onto a {@code @ConfigMapping} and validates them as Quarkus does at start-up (SmallRye Config with
 * Bean Validation, durations read as Quarkus reads them), without starting an application, so a test can list what a service would refuse to start with.
 */
public final class ConfigValidation {

    private ConfigValidation() {
    }

    /** The problems found, each as Quarkus prints it ({@code <property> <what is wrong>}); empty when the settings are valid. */
    public static List<String> problems(Class<?> mapping, Map<String, String> settings) {
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            BeanValidationConfigValidator validator = factory::getValidator;
            new SmallRyeConfigBuilder().withMapping(mapping).withValidator(validator)
                    .withConverter(Duration.class, 200, new DurationConverter()) // '1s', '5m' as Quarkus reads them
                    .withSources(new PropertiesConfigSource(settings, "test", 500)).build();
            return List.of();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>(e.getProblemCount());
            for (int p = 0; p < e.getProblemCount(); p++) {
                problems.add(e.getProblem(p).getMessage());
            }
            return problems;
        }
    }
}
