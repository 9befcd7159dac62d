/**
 * Drives the pipeline read → assemble → aggregation → commit: the loop on its own thread, its wiring (and the engine's
 * choice at start), the commit pipeline with its retries, refusals and metrics, the group's stats. May call every stage, config, redis.
 */
package io.streamfold.processor.consume;
