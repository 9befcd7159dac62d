/**
 * Drives the pipeline read → assemble → aggregation → commit: the loop on its own thread, its wiring, the commit
 * pipeline with its retries, refusals and metrics, the consumer group's stats. May call every stage, config and redis.
 */
package io.streamfold.processor.consume;
