package io.streamfold.api.health;

import io.streamfold.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RedissonClient;

/** Ready when Redis answers a read of the stream's key within a second. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

    private static final long TIMEOUT_MILLIS = 1_000;

    private final RedissonClient redisson;
    private final String stream;

    RedisReadinessCheck(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.stream = config.stream().keys().stream();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            redisson.getKeys().countExistsAsync(stream).toCompletableFuture().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.up("redis");
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
