/**
 * Removes dead consumers from the group, one processor at a time under a Redisson lock. May call consume (the own
 * consumer's name), redis, schedule and config.
 */
package io.streamfold.processor.cleanup;
