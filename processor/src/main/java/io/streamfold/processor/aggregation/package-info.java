/**
 * Stage 3, aggregation: the engines that turn a batch's events into cells, unique users and session deltas, framework-free
 * (the CPU engine here, the GPU one in gpu). May call nothing else of the processor.
 */
package io.streamfold.processor.aggregation;
