/**
 * Every setting of the processor, one config mapping (streamfold.*). May call aggregation (the Backend enum) only.
 * 
 */
package io.streamfold.processor.config;
