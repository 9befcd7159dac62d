package io.streamfold.processor.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registers {@link HyperLogLog} computes are exactly Redis's: its dense value, stored and merged
 * with {@code PFMERGE}, has byte for byte the registers {@code PFADD} of the same elements leaves,
 * for elements of every length (the hash's 8-byte blocks and every tail length), non-ASCII bytes, and
 * from one element to beyond the point where the registers saturate.
 */
@RedisTest
class HyperLogLogTest {

    private static final int HEADER = 16;

    private final RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands<byte[], byte[]> redis;

    HyperLogLogTest(RedisServer server) {
        this.server = server;
    }

    @BeforeEach
    void connect() {
        client = RedisClient.create(server.uri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
        redis.flushall();
    }

    @AfterEach
    void disconnect() {
        connection.close();
        client.shutdown();
    }

    @Test
    void mergingTheDenseValueLeavesExactlyTheRegistersPfaddLeaves() {
        SplittableRandom random = new SplittableRandom(5);
        for (int count : new int[] {1, 2, 17, 1_000, 30_000, 200_000}) {
            List<byte[]> elements = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                elements.add(randomElement(random, i));
            }
            HyperLogLog sketch = new HyperLogLog();
            elements.forEach(element -> sketch.add(element, 0, element.length));

            redis.del(key("pfadd"), key("merged"), key("sketch"));
            for (int from = 0; from < count; from += 1_000) {
                redis.pfadd(key("pfadd"), elements.subList(from, Math.min(count, from + 1_000)).toArray(byte[][]::new));
            }
            redis.set(key("sketch"), sketch.dense());
            redis.pfmerge(key("merged"), key("sketch"));

            assertThat(registers(key("merged"))).as("registers after %d elements", count)
                    .isEqualTo(registers(key("pfadd")));
            assertThat(redis.pfcount(key("merged"))).isEqualTo(redis.pfcount(key("pfadd")));
        }
    }

    @Test
    void anElementOfEveryLengthUpToFortyBytesHashesAsRedisHashesIt() {
        for (int length = 0; length <= 40; length++) {
            byte[] element = new byte[length];
            for (int i = 0; i < length; i++) {
                element[i] = (byte) (0xF0 - 7 * i);
            }
            HyperLogLog sketch = new HyperLogLog();
            sketch.add(element, 0, length);
            redis.del(key("pfadd"), key("sketch"), key("merged"));
            redis.pfadd(key("pfadd"), element);
            redis.set(key("sketch"), sketch.dense());
            redis.pfmerge(key("merged"), key("sketch"));

            assertThat(registers(key("merged"))).as("%d bytes", length).isEqualTo(registers(key("pfadd")));
        }
    }

    @Test
    void anElementGivenAsPartOfALargerArrayHashesLikeTheElementAlone() {
        byte[] alone = "user-12345".getBytes(StandardCharsets.UTF_8);
        byte[] inside = "xxuser-12345yy".getBytes(StandardCharsets.UTF_8);
        HyperLogLog fromAlone = new HyperLogLog();
        HyperLogLog fromInside = new HyperLogLog();
        fromAlone.add(alone, 0, alone.length);
        fromInside.add(inside, 2, alone.length);

        assertThat(fromInside.dense()).isEqualTo(fromAlone.dense());
    }

    @Test
    void aClearedSketchHasNoRegisterSetAgain() {
        HyperLogLog sketch = new HyperLogLog();
        byte[] element = {1, 2, 3};
        sketch.add(element, 0, 3);

        sketch.clear();

        assertThat(Arrays.copyOfRange(sketch.dense(), HEADER, HyperLogLog.DENSE_BYTES))
                .containsOnly((byte) 0);
    }

    /**
     * The registers of a HyperLogLog, whatever its encoding (PFADD keeps few elements sparse): merged with an
     * empty dense one, which makes the result dense, and read after the header.
     */
    private byte[] registers(byte[] key) {
        redis.set(key("empty"), new HyperLogLog().dense());
        redis.del(key("dense"));
        redis.pfmerge(key("dense"), key, key("empty"));
        byte[] dense = redis.get(key("dense"));
        assertThat(dense).hasSize(HyperLogLog.DENSE_BYTES);
        return Arrays.copyOfRange(dense, HEADER, dense.length);
    }

    private static byte[] randomElement(SplittableRandom random, int i) {
        if (random.nextInt(4) == 0) {
            byte[] bytes = new byte[random.nextInt(33)];
            random.nextBytes(bytes);
            return bytes;
        }
        return ("user-" + i + (random.nextBoolean() ? "-é✓" : "")).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] key(String name) {
        return ("hll:" + name).getBytes(StandardCharsets.UTF_8);
    }
}
