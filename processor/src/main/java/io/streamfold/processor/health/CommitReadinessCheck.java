package io.streamfold.processor.health;

import io.streamfold.processor.consume.CommitRefusal;
import io.streamfold.processor.consume.ConsumerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while Redis refuses this processor's commit: the loop retries it and makes no other progress until the
 * cause (named in {@code reason}) is mended; its entries stay with this consumer meanwhile, nothing is lost. Reads
 * the loop's state only (no Redis call).
 */
@Readiness
@ApplicationScoped
public class CommitReadinessCheck implements HealthCheck {

    private final ConsumerLoop loop;

    CommitReadinessCheck(ConsumerLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("commit").withData("consumer", loop.consumerName());
        Optional<CommitRefusal.Refused> refused = loop.commitRefusal().current();
        if (refused.isEmpty()) {
            return response.up().build();
        }
        return response.down().withData("reason", "Redis refuses the commit: " + refused.get().reason())
                .withData("entries", refused.get().entries())
                .withData("since", Instant.ofEpochMilli(refused.get().sinceMillis()).toString()).build();
    }
}
