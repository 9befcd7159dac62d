package io.streamfold.api.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class StreamResourceTest {

    @InjectRedis
    RedisServer redis;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @Test
    void reportsLengthEndsGroupsConsumersAndDeadLetters() {
        for (String id : new String[] {"1-1", "2-1", "3-1"}) {
            redis.command("XADD", "{events}", id, "event_id", id);
        }
        redis.command("XGROUP", "CREATE", "{events}", "aggregators", "0");
        redis.command("XREADGROUP", "GROUP", "aggregators", "worker-1", "COUNT", "2", "STREAMS", "{events}", ">");
        redis.command("XADD", "{events}:dlq", "*", "dlq_reason", "missing_field");

        given().get("/stream").then().statusCode(200)
                .body("stream", equalTo("{events}")).body("length", equalTo(3))
                .body("firstId", equalTo("1-1")).body("lastId", equalTo("3-1")).body("deadLetters", equalTo(1))
                .body("groups.size()", equalTo(1)).body("groups[0].name", equalTo("aggregators"))
                .body("groups[0].pending", equalTo(2)).body("groups[0].lag", equalTo(1))
                .body("groups[0].entriesRead", equalTo(2)).body("groups[0].lastDeliveredId", equalTo("2-1"))
                .body("groups[0].consumers.size()", equalTo(1)).body("groups[0].consumers[0].name", equalTo("worker-1"))
                .body("groups[0].consumers[0].pending", equalTo(2))
                .body("groups[0].consumers[0].idleMillis", greaterThanOrEqualTo(0));
    }

    @Test
    void reportsAnEmptyStreamAsSuch() {
        given().get("/stream").then().statusCode(200)
                .body(equalTo("{\"stream\":\"{events}\",\"length\":0,\"deadLetters\":0,\"groups\":[],"
                        + "\"settling\":{\"unsettledMinutes\":0}}"));
    }

    @Test
    void reportsHowFarMinutesAreSettledAndWhySettlingIsHeldBack() {
        redis.command("SET", "{events}:settle:through", "29936000"); // 2026-12-01T21:20:00Z
        redis.command("ZADD", "{events}:settle:minutes", "29936003", "29936003", "29936001", "29936001");
        redis.command("SET", "{events}:settle:refused", "minute 29936001 cannot be settled: …", "EX", "10");

        given().get("/stream").then().statusCode(200)
                .body("settling.lastSettledMinute", equalTo("2026-12-01T21:20:00Z"))
                .body("settling.unsettledMinutes", equalTo(2))
                .body("settling.oldestUnsettledMinute", equalTo("2026-12-01T21:21:00Z"))
                .body("settling.refused", equalTo("minute 29936001 cannot be settled: …"));
    }
}
