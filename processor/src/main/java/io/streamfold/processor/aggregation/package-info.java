/**
 * Stage 3, aggregation: the engines that turn a batch's events into cells, unique users and session deltas (the CPU engine
 * here), and the choice of engine at start (a GPU through the Gpu interface, which gpu implements). May call nothing else.
 */
package io.streamfold.processor.aggregation;
