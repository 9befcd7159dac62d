package io.streamfold.testsupport;

/**
 * How a test's Redis is started.
 *
 * @param appendOnly keep an append-only file (fsync always), so data survives {@link RedisServer#restart()}
 *                   and {@link RedisServer#kill()}; off by default (nothing is persisted)
 */
public record RedisOptions(boolean appendOnly) {

    public static RedisOptions defaults() {
        return new RedisOptions(false);
    }
}
