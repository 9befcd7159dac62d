package io.streamfold.processor.health;

import io.streamfold.contract.GroupInfo;
import io.streamfold.processor.consume.GroupMonitor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Redis answers within a second and the consumer group exists (XINFO GROUPS). */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final GroupMonitor monitor;

    RedisReadinessCheck(GroupMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("redis").withData("stream", monitor.keys().stream())
                .withData("group", monitor.keys().group());
        try {
            Optional<GroupInfo> group = monitor.look(TIMEOUT);
            if (group.isEmpty()) {
                return response.down().withData("reason", "consumer group missing").build();
            }
            return response.up().withData("pending", group.get().pending()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return response.down().withData("reason", cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).build();
        }
    }
}
