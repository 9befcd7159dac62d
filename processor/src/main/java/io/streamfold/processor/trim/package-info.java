/**
 * Trims the stream of the entries every consumer group has acknowledged. May call redis, schedule and config.
 * 
 */
package io.streamfold.processor.trim;
