package io.streamfold.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.processor.aggregation.Aggregator;
import io.streamfold.processor.aggregation.BackendChoice;
import io.streamfold.processor.gpu.CudaProbe;
import io.streamfold.testsupport.RedisTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The backend choice as the running processor shows it: the loop aggregates with the chosen
 * backend, and readiness data and the {@code processor_aggregation_backend} metric say which and
 * why. With the default {@code auto} and no usable device (this machine and CI: no driver), that is
 * the CPU engine with the probe's reason.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AggregationBackendTest {

    @Inject
    BackendChoice choice;

    @Inject
    Aggregator aggregator;

    @Test
    void readinessAndTheMetricSayWhichBackendRunsAndWhy() {
        CudaProbe probe = CudaProbe.once();
        if (!probe.available()) {
            assertThat(choice.backend()).isEqualTo("cpu");
            assertThat(choice.reason()).isEqualTo(probe.outcome().reason());
            assertThat(choice.detail()).isEqualTo(probe.reason());
        }
        assertThat(aggregator).isSameAs(choice.aggregator());

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'aggregation' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'aggregation' }.data.backend", equalTo(choice.backend()))
                .body("checks.find { it.name == 'aggregation' }.data.configured", equalTo("auto"))
                .body("checks.find { it.name == 'aggregation' }.data.reason", equalTo(choice.reason().code()))
                .body("checks.find { it.name == 'aggregation' }.data.detail", equalTo(choice.detail()));
        given().get("/q/metrics").then().statusCode(200).body(containsString("processor_aggregation_backend{backend=\""
                + choice.backend() + "\",reason=\"" + choice.reason().code() + "\"} 1.0"));
    }

    @Test
    void jcudaIsLoadedParentFirstSoItsNativeLibraryLoadsOncePerJvm() throws ClassNotFoundException {
        // without quarkus.class-loading.parent-first-artifacts, Quarkus' own class loader would define it
        Class<?> driver = Class.forName("jcuda.driver.JCudaDriver", false, Thread.currentThread().getContextClassLoader());

        assertThat(driver.getClassLoader()).isSameAs(ClassLoader.getSystemClassLoader());
    }
}
