package io.streamfold.processor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamfold.testsupport.LettuceSession;
import io.streamfold.testsupport.RedisServer;
import io.streamfold.testsupport.RedisTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class ScriptArgumentsTest {

    private final RedisServer server;

    ScriptArgumentsTest(RedisServer server) {
        this.server = server;
    }

    private static String wire(ScriptArguments arguments, String... keys) {
        return encoded(arguments.command("sha", keys));
    }

    @Test
    void writesEachArgumentAsARespBulkStringAfterTheShaAndKeys() {
        ScriptArguments arguments = new ScriptArguments(8).add("group").add(-42).add(new byte[] {1, 2})
                .add(new byte[] {9, 3, 4, 9}, 1, 2).startList().addToList(3).addToList(-1).endList().add("");

        assertThat(wire(arguments, "{k}")).isEqualTo("$3\r\nsha\r\n$1\r\n1\r\n$3\r\n{k}\r\n$5\r\ngroup\r\n$3\r\n-42\r\n"
                + "$2\r\n\u0001\u0002\r\n$2\r\n\u0003\u0004\r\n$4\r\n3 -1\r\n$0\r\n\r\n");
        assertThat(arguments.command("sha", new String[] {"{k}"}).count()).isEqualTo(3 + 6);
    }

    @Test
    void aCommandIsACopyThatClearingAndRefillingLeavesAsItWas() {
        ScriptArguments arguments = new ScriptArguments().add("first");
        var command = arguments.command("sha", new String[0]);
        arguments.clear().add("second, longer");

        assertThat(encoded(command)).isEqualTo("$3\r\nsha\r\n$1\r\n0\r\n$5\r\nfirst\r\n");
    }

    @Test
    void redisReceivesEveryArgumentExactlyAsAdded() {
        ScriptArguments arguments = new ScriptArguments(16).add("ascii").add("ünïcödé ✓").add(Long.MIN_VALUE)
                .add(Long.MAX_VALUE).add(0).startList().endList();
        arguments.startList();
        StringBuilder expectedList = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            arguments.addToList(i * 1_000_003L - 7);
            expectedList.append(i == 0 ? "" : " ").append(i * 1_000_003L - 7);
        }
        arguments.endList();
        try (LettuceSession session = new LettuceSession(server.uri())) {
            RedisCommands<String, String> redis = session.sync();
            LuaScript echo = LuaScript.of(ScriptArgumentsTest.class, "echo.lua");

            List<Object> reply = echo.start(redis, new String[] {"{key}"}, arguments).await();

            assertThat(reply).containsExactly("{key}", "ascii", "ünïcödé ✓", String.valueOf(Long.MIN_VALUE),
                    String.valueOf(Long.MAX_VALUE), "0", "", expectedList.toString());
        }
    }

    @Test
    void aRecycledCommandsArrayServesTheNextCommandWhichSendsOnlyItsOwnBytes() {
        ScriptArguments arguments = new ScriptArguments().add("a long first argument, longer than the next command");
        var first = arguments.command("sha", new String[0]);
        String firstWire = encoded(first);
        arguments.recycle(first);

        var second = arguments.clear().add("short").command("sha", new String[0]);

        assertThat(encoded(second)).isEqualTo("$3\r\nsha\r\n$1\r\n0\r\n$5\r\nshort\r\n");
        assertThat(encoded(first)).as("the second command took over the first one's array").isNotEqualTo(firstWire);
    }

    @Test
    void everyReplyMatchesItsCommandWhileArraysAreRecycledAcrossSizes() {
        try (LettuceSession session = new LettuceSession(server.uri())) {
            RedisCommands<String, String> redis = session.sync();
            LuaScript echo = LuaScript.of(ScriptArgumentsTest.class, "echo.lua");
            ScriptArguments arguments = new ScriptArguments(16);
            for (int call = 0; call < 200; call++) {
                String argument = "call " + call + " " + "x".repeat(call % 3 == 0 ? 5_000 : call % 7);
                arguments.clear().add(argument).add(call);

                List<Object> reply = echo.start(redis, new String[] {"{key}"}, arguments).await();

                assertThat(reply).containsExactly("{key}", argument, String.valueOf(call));
            }
        }
    }

    private static String encoded(CommandArgs<String, String> command) {
        ByteBuf buf = Unpooled.buffer();
        command.encode(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }
}
