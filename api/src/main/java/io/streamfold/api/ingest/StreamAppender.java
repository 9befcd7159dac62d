package io.streamfold.api.ingest;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/**
 * Appends a request's events to the stream in one round trip ({@code append.lua}: every XADD, and
 * the idempotency record, in one atomic script), at most once per idempotency key.
 */
@ApplicationScoped
public class StreamAppender {

    private final RedissonClient redisson;
    private final KeyLayout keys;
    private final String ttlSeconds;
    private final String source;
    private volatile String sha;

    StreamAppender(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
        this.ttlSeconds = String.valueOf(Math.max(1, config.access().idempotencyTtl().toSeconds()));
        try (InputStream in = StreamAppender.class.getResourceAsStream("append.lua")) {
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("append.lua is missing from the classpath", e);
        }
    }

    /**
     * Appends {@code events}; {@code fingerprint} identifies (key name, Idempotency-Key), null without one.
     *
     * @return what happened and the entry ids
     */
    public Appended append(List<Map<String, String>> events, String fingerprint, String bodyDigest) {
        List<Object> args = new ArrayList<>();
        args.add(ttlSeconds);
        args.add(bodyDigest);
        args.add(String.valueOf(events.size()));
        for (Map<String, String> event : events) {
            args.add(String.valueOf(2 * event.size()));
            event.forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
        }
        List<Object> scriptKeys = List.of(keys.stream(), fingerprint == null ? "" : keys.idempotency(fingerprint));
        List<String> reply = run(scriptKeys, args.toArray());
        return new Appended(Outcome.valueOf(reply.get(0).toUpperCase()), List.copyOf(reply.subList(1, reply.size())));
    }

    private List<String> run(List<Object> scriptKeys, Object[] args) {
        RScript script = redisson.getScript(StringCodec.INSTANCE);
        if (sha == null) {
            sha = script.scriptLoad(source);
        }
        try {
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.MULTI, scriptKeys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            sha = script.scriptLoad(source);
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.MULTI, scriptKeys, args);
        }
    }

    /** What an append did. */
    public enum Outcome {
        /** The events were appended. */
        APPENDED,
        /** The same Idempotency-Key and body came before: nothing appended, the earlier ids returned. */
        REPLAYED,
        /** The same Idempotency-Key came before with another body: nothing appended. */
        CONFLICT
    }

    /** The outcome and the entry ids. */
    public record Appended(Outcome outcome, List<String> ids) {
    }
}
