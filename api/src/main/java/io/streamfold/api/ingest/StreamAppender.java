package io.streamfold.api.ingest;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.api.redis.RedisScript;
import io.streamfold.contract.KeyLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Appends a request's events to the stream in one round trip ({@code append.lua}: every XADD, and
 * the idempotency record, in one atomic script), at most once per idempotency key; and looks up what
 * an earlier request with the same key got, before its body is validated.
 */
@ApplicationScoped
public class StreamAppender {

    private final RedisScript script = RedisScript.of(StreamAppender.class, "append.lua", RScript.Mode.READ_WRITE);
    private final RedissonClient redisson;
    private final KeyLayout keys;
    private final String ttlSeconds;

    StreamAppender(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
        this.ttlSeconds = String.valueOf(Math.max(1, config.access().idempotencyTtl().toSeconds()));
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
        List<String> reply = script.run(redisson, scriptKeys, args.toArray()).stream().map(String::valueOf).toList();
        return new Appended(Outcome.valueOf(reply.get(0).toUpperCase()), List.copyOf(reply.subList(1, reply.size())));
    }

    /**
     * What the earlier request with {@code fingerprint} got, by one GET of its idempotency record
     * ({@code '<body digest> <ids...>'}, as {@code append.lua} writes it): {@link Outcome#REPLAYED} with its ids when
     * its body had {@code bodyDigest}, {@link Outcome#CONFLICT} when it had another, empty when the key is new or expired.
     * Writes nothing; {@link #append} checks again, atomically, for a request that arrives in between.
     */
    public Optional<Appended> lookUp(String fingerprint, String bodyDigest) {
        String earlier = redisson.<String>getBucket(keys.idempotency(fingerprint), StringCodec.INSTANCE).get();
        if (earlier == null) {
            return Optional.empty();
        }
        List<String> digestAndIds = List.of(earlier.split(" "));
        return Optional.of(digestAndIds.get(0).equals(bodyDigest)
                ? new Appended(Outcome.REPLAYED, digestAndIds.subList(1, digestAndIds.size()))
                : new Appended(Outcome.CONFLICT, List.of()));
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
