/**
 * The GPU engine and its selection: JCuda device code, the kernels' host side, the start-up probe and calibration against
 * the CPU engine. May call aggregation and config.
 */
package io.streamfold.processor.gpu;
