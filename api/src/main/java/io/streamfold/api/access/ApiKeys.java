package io.streamfold.api.access;

import io.streamfold.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured API keys. A presented key is compared with every configured one in constant time
 * (SHA-256 digests compared with {@link MessageDigest#isEqual}), so neither the time taken nor an
 * early exit tells an attacker how much of a key was right or which key it resembled. Keys are
 * never logged or returned; only their names are.
 */
@ApplicationScoped
public class ApiKeys {

    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    ApiKeys(ApiConfig config) {
        config.access().keys().forEach((name, key) -> {
            if (key.length() < 16) {
                throw new IllegalArgumentException("API key '" + name + "' is shorter than 16 characters; use a long random key");
            }
            digests.put(name, digest(key));
        });
    }

    /** The name of the key presented, if it is one of the configured keys. */
    public Optional<String> nameOf(String presented) {
        byte[] digest = digest(presented);
        String match = null;
        for (Map.Entry<String, byte[]> key : digests.entrySet()) {
            if (MessageDigest.isEqual(digest, key.getValue()) && match == null) {
                match = key.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Whether any key is configured (without one, nothing that needs a key is possible). */
    public boolean any() {
        return !digests.isEmpty();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
