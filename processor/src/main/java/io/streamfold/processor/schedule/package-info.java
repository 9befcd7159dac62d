/**
 * A periodic task on a thread of its own, for cleanup and trimming. May call nothing else of the processor.
 * 
 */
package io.streamfold.processor.schedule;
