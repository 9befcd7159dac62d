package io.streamfold.processor.health;

import io.streamfold.processor.config.ProcessorConfig;
import io.streamfold.processor.consume.ConsumerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the consume loop runs and turns over: a read, a commit or a retry within the last
 * 30 s plus one block and one command timeout. A Redis outage keeps it live (the loop retries).
 */
@Liveness
@ApplicationScoped
public class ConsumerLoopLivenessCheck implements HealthCheck {

    private final ConsumerLoop loop;
    private final Duration within;

    ConsumerLoopLivenessCheck(ConsumerLoop loop, ProcessorConfig config) {
        this.loop = loop;
        this.within = Duration.ofSeconds(30).plus(config.consumer().block()).plus(config.redis().timeout())
                .plus(config.consumer().maxBackoff());
    }

    @Override
    public HealthCheckResponse call() {
        boolean alive = loop.alive(within);
        var response = HealthCheckResponse.named("consumer-loop").status(alive).withData("consumer", loop.consumerName());
        if (!alive) {
            response.withData("reason", "no progress within " + within);
        }
        return response.build();
    }
}
