package io.streamfold.processor.consume;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.Backend;
import io.streamfold.processor.aggregation.BackendChoice;
import io.streamfold.processor.aggregation.BackendSelector;
import io.streamfold.processor.aggregation.Gpu;
import io.streamfold.processor.aggregation.Reason;
import io.streamfold.processor.config.ProcessorConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Makes the backend choice once, when the consume loop is created at start ({@link BackendSelector}
 * with {@code streamfold.aggregation.backend}, the configured batch size and the schema's
 * dimensions; the {@link Gpu} bean is looked up only where the backend is not {@code cpu}), logs it, exports it as {@code processor.aggregation.backend{backend,reason}} (always
 * 1) and provides its {@link Aggregator}; closes it on shutdown. With {@code backend=gpu} and no
 * usable GPU, producing it fails, and so does the start.
 */
@Singleton
final class AggregationBackend {

    private static final Logger LOG = Logger.getLogger(AggregationBackend.class);

    @Produces
    @Singleton
    BackendChoice choice(ProcessorConfig config, MeterRegistry registry, Instance<Gpu> gpu) {
        Backend configured = config.aggregation().backend();
        BackendChoice choice = BackendSelector.of(gpu::get, config.consumer().batchSize(),
                config.schema().dimensions().size()).select(configured);
        if (choice.reason() == Reason.CELLS_DIFFER) {
            LOG.errorf("Aggregation backend: %s. The GPU is refused; report this with the device and driver.",
                    choice.describe());
        } else {
            LOG.infof("Aggregation backend: %s", choice.describe());
        }
        Gauge.builder("processor.aggregation.backend", () -> 1)
                .tag("backend", choice.backend()).tag("reason", choice.reason().code())
                .description("The aggregation backend this processor runs (always 1) and why it was chosen")
                .register(registry);
        return choice;
    }

    @Produces
    @Singleton
    Aggregator aggregator(BackendChoice choice) {
        return choice.aggregator();
    }

    void close(@Disposes BackendChoice choice) {
        choice.aggregator().close();
    }
}
