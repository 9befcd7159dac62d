package io.streamfold.testsupport;

import java.util.List;

/**
 * How a test's Redis is started.
 *
 * @param appendOnly keep an append-only file (fsync always), so data survives {@link RedisServer#restart()}
 *                   and {@link RedisServer#kill()}; off by default (nothing is persisted)
 */
public record RedisOptions(boolean appendOnly) {

    /**
     * The settings the Compose file and the Kubernetes manifests give Redis beyond persistence, so that tests
     * and benchmarks run against the Redis that is deployed: expired session windows freed off the main
     * thread, and hashes past 128 fields (minute bins) kept as hash tables rather than listpacks searched
     * whole by every {@code HINCRBY}.
     */
    public static final List<String> DEPLOYED_SETTINGS = List.of("--lazyfree-lazy-expire", "yes",
            "--hash-max-listpack-entries", "128");

    public static RedisOptions defaults() {
        return new RedisOptions(false);
    }
}
