/**
 * Liveness and readiness checks: the loop's progress, Redis and the consumer group, a refused commit, the aggregation
 * backend. May call consume, aggregation and config (reads their state).
 */
package io.streamfold.processor.health;
