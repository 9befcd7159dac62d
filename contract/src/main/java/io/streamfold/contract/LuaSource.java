package io.streamfold.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped next to a class: its text, and the SHA-1 Redis knows it by, computed here, so a client runs it
 * with EVALSHA from the first call and loads it (SCRIPT LOAD) only when Redis answers NOSCRIPT. The one loader of every
 * module's scripts; each Redis client runs them its own way (the processor's LuaScript, the API's RedisScript).
 *
 * @param name the resource's name, for messages
 * @param text the script
 * @param sha1 the hex SHA-1 of its UTF-8 bytes, as SCRIPT LOAD would return it
 */
public record LuaSource(String name, String text, String sha1) {

    /** The script {@code resource} next to {@code owner}'s class file. */
    public static LuaSource of(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath next to " + owner.getName());
            }
            byte[] bytes = in.readAllBytes();
            return new LuaSource(resource, new String(bytes, StandardCharsets.UTF_8),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
