package io.streamfold.api.access;

import io.quarkus.runtime.Startup;
import io.streamfold.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The configured API keys. A presented key is compared with every configured one in constant time
 * (SHA-256 digests compared with {@link MessageDigest#isEqual}), so neither the time taken nor an
 * early exit tells an attacker how much of a key was right or which key it resembled. Keys are
 * never logged or returned; only their names are. Made at start-up, so a key too short to be safe
 * stops the API from starting, instead of failing every request that presents a key.
 */
@Startup
@ApplicationScoped
public class ApiKeys {

    /** The shortest key accepted. */
    static final int MIN_LENGTH = 16;

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    @Inject
    ApiKeys(ApiConfig config) {
        this(config.access().keys());
    }

    ApiKeys(Map<String, String> keys) {
        keys.forEach((name, key) -> {
            if (key.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("API key streamfold.access.keys." + name + " has " + key.length()
                        + " characters, fewer than " + MIN_LENGTH + "; use a long random key (e.g. openssl rand -hex 24)");
            }
            digests.put(name, digest(key));
        });
        if (digests.isEmpty()) {
            LOG.warn("No API key is configured (streamfold.access.keys.<name>): every POST, and every read where keys are "
                    + "required for reads, is refused with 401");
        } else {
            LOG.infof("API keys configured: %s", String.join(", ", digests.keySet()));
        }
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

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
