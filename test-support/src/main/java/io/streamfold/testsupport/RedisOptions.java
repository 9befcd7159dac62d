package io.streamfold.testsupport;

import java.util.List;

/**
 * How a test's Redis is started.
 *
 * @param persistence whether and how it keeps an append-only file: {@link Persistence#NONE} by default (nothing is
 *                    persisted); tests that restart or kill Redis use {@link Persistence#AOF_ALWAYS}, so their data
 *                    survives {@link RedisServer#restart()} and {@link RedisServer#kill()}
 */
public record RedisOptions(Persistence persistence) {

    /**
     * The settings the Compose file and the Kubernetes manifests give Redis beyond persistence, so that tests
     * and benchmarks run against the Redis that is deployed: expired session windows freed off the main
     * thread, and hashes past 128 fields (minute bins) kept as hash tables rather than listpacks searched
     * whole by every {@code HINCRBY}.
     */
    public static final List<String> DEPLOYED_SETTINGS = List.of("--lazyfree-lazy-expire", "yes",
            "--hash-max-listpack-entries", "128");

    public static RedisOptions defaults() {
        return new RedisOptions(Persistence.NONE);
    }

    /** Whether and how Redis keeps an append-only file. */
    public enum Persistence {
        /** Nothing kept. */
        NONE("--appendonly", "no"),
        /** Every write fsynced before its reply: nothing acknowledged is lost, even by a killed server. */
        AOF_ALWAYS("--appendonly", "yes", "--appendfsync", "always"),
        /** Fsynced once a second, as the Compose file and the manifests run Redis. */
        AOF_EVERYSEC("--appendonly", "yes", "--appendfsync", "everysec");

        private final List<String> arguments;

        Persistence(String... arguments) {
            this.arguments = List.of(arguments);
        }

        /** The redis-server arguments. */
        public List<String> arguments() {
            return arguments;
        }
    }
}
