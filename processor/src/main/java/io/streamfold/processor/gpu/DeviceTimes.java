package io.streamfold.processor.gpu;

/**
 * How long the device part of one batch took, from CUDA events (milliseconds): the upload of the
 * packed input, the kernel alone, the download of its output, and all of it from the first copy's
 * start to the last copy's end (output initialisation overlaps the upload, so the parts need not
 * add up to the total).
 */
public record DeviceTimes(float copyInMs, float kernelMs, float copyOutMs, float totalMs, long bytesIn, long bytesOut) {
}
