/**
 * The GPU engine: JCuda device code, the kernels' host side and the device probe, behind aggregation's Gpu interface; a
 * processor whose backend is cpu never loads it. May call aggregation only.
 */
package io.streamfold.processor.gpu;
