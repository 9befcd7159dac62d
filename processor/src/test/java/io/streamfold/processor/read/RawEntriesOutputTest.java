package io.streamfold.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RedisTest
class RawEntriesOutputTest {

    private static final String STREAM = "{raw}";
    private static final List<String> NAMES = List.of("value", "product", "ts");

    private final RedisServer server;

    RawEntriesOutputTest(RedisServer server) {
        this.server = server;
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void decodesEveryEntryAsLettuceDoesAndMarksDeletedOnes(ProtocolVersion protocol) {
        RedisClient client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(STREAM);
            redis.xgroupCreate(StreamOffset.from(STREAM, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            redis.xadd(STREAM, Map.of("value", "1.25", "product", "p-ü", "ts", "7"));
            String gone = redis.xadd(STREAM, Map.of("value", "2"));
            redis.xadd(STREAM, "product", "first", "extra", "", "product", "second");
            RawEntries read = read(redis, ">");
            assertThat(read.size()).isEqualTo(3);

            List<StreamMessage<String, String>> lettuce = redis.xrange(STREAM, Range.create("-", "+"));
            for (int i = 0; i < 3; i++) {
                assertThat(read.id(i)).isEqualTo(lettuce.get(i).getId());
                assertThat(read.deleted(i)).isFalse();
                assertThat(read.fieldMap(i)).isEqualTo(lettuce.get(i).getBody());
            }
            assertThat(text(read, 0, "product")).isEqualTo("p-ü");
            assertThat(read.field(1, NAMES.indexOf("ts"))).isEqualTo(RawEntries.ABSENT);
            assertThat(text(read, 2, "product")).as("a repeated field: the last value wins").isEqualTo("second");

            redis.xdel(STREAM, gone);
            RawEntries pending = read(redis, "0");
            assertThat(pending.size()).isEqualTo(3);
            assertThat(pending.deleted(1)).isTrue();
            assertThat(pending.deleted(0) || pending.deleted(2)).isFalse();

            assertThat(read(redis, ">").isEmpty()).as("nothing new").isTrue();
        } finally {
            client.shutdown();
        }
    }

    private static RawEntries read(RedisCommands<String, String> redis, String from) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("GROUP").add("g").add("c")
                .add("COUNT").add(10).add("STREAMS").addKey(STREAM).add(from);
        return redis.dispatch(CommandType.XREADGROUP, new RawEntriesOutput(new RawEntries(NAMES)), args);
    }

    private static String text(RawEntries entries, int entry, String name) {
        int field = entries.field(entry, NAMES.indexOf(name));
        return new String(entries.arena(), entries.valueOffset(field), entries.valueLength(field),
                StandardCharsets.UTF_8);
    }
}
