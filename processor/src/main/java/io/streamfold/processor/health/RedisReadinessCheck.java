package io.streamfold.processor.health;

import io.streamfold.processor.redis.LettuceConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Redis answers PING within a second. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final LettuceConnections connections;

    RedisReadinessCheck(LettuceConnections connections) {
        this.connections = connections;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            String pong = connections.shared().async().ping().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("redis").status("PONG".equals(pong)).withData("reply", pong).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (Exception e) {
            return down(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named("redis").down().withData("reason", reason).build();
    }
}
