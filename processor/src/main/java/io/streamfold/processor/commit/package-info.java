/**
 * Stage 4, commit: a batch's deltas, dead letters and XACK in one atomic, idempotent script (commit.lua), and keeping its
 * entries with this consumer while the commit is retried. May call aggregation (the deltas) and redis.
 */
package io.streamfold.processor.commit;
