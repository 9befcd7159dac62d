package io.streamfold.processor.aggregation;

/** Which aggregation backend the processor runs ({@code streamfold.aggregation.backend}). */
public enum Backend {
    /** The GPU where a CUDA device initialises, computes the CPU engine's cells and is faster at the batch size; else the CPU. */
    AUTO,
    /** Always the CPU engine. */
    CPU,
    /** Always the GPU; the processor refuses to start without a usable CUDA device. */
    GPU
}
