package io.streamfold.api.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamfold.testsupport.InjectRedis;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad queries, one per row: each gets its documented status and an exact problem+json detail, and
 * nothing is written to Redis.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadQueryTest {

    @InjectRedis
    RedisServer redis;

    @BeforeEach
    void emptyRedis() {
        redis.command("FLUSHALL");
    }

    @ParameterizedTest(name = "{0}?{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /aggregates             | colour=red                       | 400 | unknown query parameter 'colour'; this resource takes none
            /aggregates/summary     | n=3                              | 400 | unknown query parameter 'n'; this resource takes none
            /aggregates/top         | ""                               | 400 | query parameter 'dimension' is required; dimensions are event_type, product
            /aggregates/top         | dimension=colour                 | 400 | unknown dimension 'colour'; dimensions are event_type, product
            /aggregates/top         | dimension=product&metric=mean    | 400 | query parameter 'metric' must be count or sum; was 'mean'
            /aggregates/top         | dimension=product&n=0            | 400 | query parameter 'n' must be a whole number from 1 to 1000; was '0'
            /aggregates/top         | dimension=product&n=1001         | 400 | query parameter 'n' must be a whole number from 1 to 1000; was '1001'
            /aggregates/top         | dimension=product&n=-1           | 400 | query parameter 'n' must be a whole number from 1 to 1000; was '-1'
            /aggregates/top         | dimension=product&n=ten          | 400 | query parameter 'n' must be a whole number from 1 to 1000; was 'ten'
            /aggregates/top         | dimension=product&n=1&n=2        | 400 | query parameter 'n' is given 2 times; give it once
            /aggregates/top         | dimension=product&window=8d      | 400 | window 8d is longer than the retention of 7d; ask for 7d or less
            /aggregates/top         | dimension=product&window=1w      | 400 | query parameter 'window' must be 'all' or a duration such as 15m, 6h or 7d; was '1w'
            /aggregates/top         | dimension=product&window=0m      | 400 | query parameter 'window' must be 'all' or a duration such as 15m, 6h or 7d; was '0m'
            /aggregates/top         | dimension=product&window=-5m     | 400 | query parameter 'window' must be 'all' or a duration such as 15m, 6h or 7d; was '-5m'
            /aggregates/top         | dimension=product%27%3B%20FLUSHALL%3B%20--  | 400 | unknown dimension 'product'; FLUSHALL; --'; dimensions are event_type, product
            /aggregates/timeseries  | dimension=product                | 400 | query parameter 'value' is required
            /aggregates/timeseries  | value=p1                         | 400 | query parameter 'dimension' is required; dimensions are event_type, product
            /aggregates/timeseries  | from=yesterday                   | 400 | query parameter 'from' is not an instant: 'yesterday'; give epoch milliseconds or ISO-8601 such as 2026-11-25T10:00:00Z
            /aggregates/timeseries  | to=2026-13-01T00:00:00Z          | 400 | query parameter 'to' is not an instant: '2026-13-01T00:00:00Z'; give epoch milliseconds or ISO-8601 such as 2026-11-25T10:00:00Z
            /aggregates/timeseries  | from=1795600000000&to=1795500000000 | 400 | 'from' (2026-11-25T09:46:40Z) is after 'to' (2026-11-24T06:00:00Z)
            /aggregates/timeseries  | from=0&to=1795600000000          | 400 | the range from 1970-01-01T00:00:00Z to 2026-11-25T09:46:40Z is longer than the retention of 7d; nothing older is kept
            /aggregates/timeseries  | from=1795600000000&to=1795600600000&step=1h | 400 | step 1h is longer than the range from 2026-11-25T09:46:40Z to 2026-11-25T09:56:40Z; use a shorter step or a longer range
            /aggregates/timeseries  | from=1795000000000&to=1795600000000 | 400 | the range from 2026-11-18T11:06:40Z to 2026-11-25T09:46:40Z at step 1m makes 10001 points; at most 2000 are allowed: use a longer step or a shorter range
            /aggregates/timeseries  | step=2m                          | 400 | query parameter 'step' must be one of 1m, 5m, 1h, 1d; was '2m'
            /aggregates/timeseries  | from=99999999999999999999        | 400 | query parameter 'from' is not an instant: '99999999999999999999'; give epoch milliseconds or ISO-8601 such as 2026-11-25T10:00:00Z
            /aggregates/percentiles | q=0.5,1.5                        | 400 | query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; '1.5' is not one
            /aggregates/percentiles | q=NaN                            | 400 | query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; 'NaN' is not one
            /aggregates/percentiles | q=-0.1                           | 400 | query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; '-0.1' is not one
            /aggregates/percentiles | q=Infinity                       | 400 | query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; 'Infinity' is not one
            /aggregates/percentiles | q=0.5,                           | 400 | query parameter 'q' must list quantiles from 0 to 1 such as 0.5,0.99; '' is not one
            /aggregates/percentiles | q=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 | 400 | query parameter 'q' lists 21 quantiles; at most 20 are allowed
            /aggregates/percentiles | dimension=product&value=p1&window=100d | 400 | window 100d is longer than the retention of 7d; ask for 7d or less
            /aggregates/uniques     | window=2h                        | 400 | query parameter 'window' must be 1h or 1d; was '2h'
            /aggregates/uniques     | window=%01%02                    | 400 | query parameter 'window' must be 1h or 1d; was '\\u0001\\u0002'
            /aggregates/nothing     | ""                               | 404 | no resource at /aggregates/nothing
            """)
    void refusesWithAPreciseProblem(String path, String query, int status, String detail) {
        String url = query.isEmpty() ? path : path + "?" + query;

        given().urlEncodingEnabled(false).get(url).then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("detail", equalTo(detail)).body("instance", equalTo(path));

        assertThat(redis.command("DBSIZE")).isEqualTo(":0");
    }
}
