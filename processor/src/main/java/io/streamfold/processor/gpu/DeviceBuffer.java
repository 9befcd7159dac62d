package io.streamfold.processor.gpu;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/** Device memory ({@code cuMemAlloc}), grown geometrically and reused across batches. Used on the device thread only. */
final class DeviceBuffer {

    private CUdeviceptr pointer;
    private long capacity;

    /** Makes room for {@code bytes}; returns whether it was (re)allocated, which loses the old contents. */
    boolean ensure(long bytes) {
        if (bytes <= capacity) {
            return false;
        }
        long size = Math.max(bytes, capacity * 2);
        free();
        CUdeviceptr allocated = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(allocated, size);
        pointer = allocated;
        capacity = size;
        return true;
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    long capacity() {
        return capacity;
    }

    /** Frees the memory; idempotent. */
    void free() {
        if (pointer != null) {
            CUdeviceptr freed = pointer;
            pointer = null;
            capacity = 0;
            JCudaDriver.cuMemFree(freed);
        }
    }
}
