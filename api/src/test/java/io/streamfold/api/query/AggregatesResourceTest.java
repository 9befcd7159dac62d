package io.streamfold.api.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AggregatesResourceTest {

    @InjectRedis
    RedisServer redis;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @Test
    void servesTotalsAndEveryDimensionWithExactSumsMostFrequentFirst() {
        redis.command("HSET", "{events}:agg:total", "count", "5", "sum", "-1999999999999");
        redis.command("HSET", "{events}:agg:count:event_type", "view", "3", "refund", "2");
        redis.command("HSET", "{events}:agg:sum:event_type", "view", "1", "refund", "-2000000000000");
        redis.command("HSET", "{events}:agg:count:product", "p1", "5");
        redis.command("HSET", "{events}:agg:sum:product", "p1", "-1999999999999");

        given().get("/aggregates/summary").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":5,\"sum\":-19999999999.99},"
                        + "\"dimensions\":{\"event_type\":[{\"value\":\"view\",\"count\":3,\"sum\":0.01},"
                        + "{\"value\":\"refund\",\"count\":2,\"sum\":-20000000000.00}],"
                        + "\"product\":[{\"value\":\"p1\",\"count\":5,\"sum\":-19999999999.99}]}}"));
    }

    @Test
    void servesZerosBeforeAnyEventWasCommitted() {
        given().get("/aggregates/summary").then().statusCode(200)
                .body(equalTo("{\"totals\":{\"count\":0,\"sum\":0.00},\"dimensions\":{\"event_type\":[],\"product\":[]}}"));
    }

    @Test
    void reportsReadyWhenRedisAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
