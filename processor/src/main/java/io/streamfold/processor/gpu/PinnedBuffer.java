package io.streamfold.processor.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/**
 * Page-locked host memory ({@code cuMemHostAlloc}), so asynchronous copies really are: grown
 * geometrically, reused across batches. Its contents are reached only through short-lived
 * {@link ByteBuffer} views made inside these methods (at most 1 GiB each, below the 2-GiB cap of
 * a view) and never handed out, so none outlives {@link #free()}. Used on the device thread only.
 */
final class PinnedBuffer {

    private static final long WINDOW = 1L << 30;

    private Pointer pointer;
    private long capacity;

    /** Makes room for {@code bytes}; the old contents are lost when it grows. */
    void ensure(long bytes) {
        if (bytes <= capacity) {
            return;
        }
        long size = Math.max(bytes, capacity * 2);
        free();
        Pointer allocated = new Pointer();
        JCudaDriver.cuMemHostAlloc(allocated, size, 0);
        pointer = allocated;
        capacity = size;
    }

    Pointer pointer() {
        return pointer;
    }

    long capacity() {
        return capacity;
    }

    /** Writes {@code src[0, count)} at the start. */
    void putLongs(long[] src, int count) {
        long bytes = count * 8L;
        for (long offset = 0; offset < bytes; offset += WINDOW) {
            int length = (int) Math.min(WINDOW, bytes - offset);
            view(offset, length).asLongBuffer().put(src, (int) (offset / 8), length / 8);
        }
    }

    /** Writes {@code src[0, count)} at the start. */
    void putInts(int[] src, int count) {
        long bytes = count * 4L;
        for (long offset = 0; offset < bytes; offset += WINDOW) {
            int length = (int) Math.min(WINDOW, bytes - offset);
            view(offset, length).asIntBuffer().put(src, (int) (offset / 4), length / 4);
        }
    }

    /** Reads the first {@code count} longs into {@code dst}. */
    void getLongs(long[] dst, int count) {
        long bytes = count * 8L;
        for (long offset = 0; offset < bytes; offset += WINDOW) {
            int length = (int) Math.min(WINDOW, bytes - offset);
            view(offset, length).asLongBuffer().get(dst, (int) (offset / 8), length / 8);
        }
    }

    /** Frees the memory; idempotent. */
    void free() {
        if (pointer != null) {
            Pointer freed = pointer;
            pointer = null;
            capacity = 0;
            JCudaDriver.cuMemFreeHost(freed);
        }
    }

    private ByteBuffer view(long offset, int length) {
        if (offset + length > capacity) {
            throw new IllegalStateException("pinned buffer of " + capacity + " bytes, access up to " + (offset + length));
        }
        return pointer.getByteBuffer(offset, length).order(ByteOrder.nativeOrder());
    }
}
