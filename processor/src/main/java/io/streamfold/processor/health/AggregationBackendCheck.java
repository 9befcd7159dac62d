package io.streamfold.processor.health;

import io.streamfold.processor.aggregation.BackendChoice;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Always up (either backend aggregates exactly; a processor that cannot get the GPU it was told to
 * use does not start at all): says which backend runs and why. Reads memory only, so it needs no
 * timeout.
 */
@Readiness
@ApplicationScoped
public class AggregationBackendCheck implements HealthCheck {

    private final BackendChoice choice;

    AggregationBackendCheck(BackendChoice choice) {
        this.choice = choice;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("aggregation").up().withData("backend", choice.backend())
                .withData("configured", choice.configured().name().toLowerCase(Locale.ROOT))
                .withData("reason", choice.reason().code()).withData("detail", choice.detail());
        if (choice.backend().equals("gpu")) {
            response.withData("cpuFallbacks", choice.cpuFallbacks());
        }
        return response.build();
    }
}
