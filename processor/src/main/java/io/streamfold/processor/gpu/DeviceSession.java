package io.streamfold.processor.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * Everything {@code aggregate.cu} runs with on one device: the context, the loaded module and its
 * function, two streams, timing events, and the device and pinned host buffers of a batch, grown
 * and reused. Every method must be called on the one thread that {@link #open opened} it (the
 * context is current there); {@link GpuAggregator} guarantees that.
 *
 * <p>One batch ({@link #run}): the packed input is staged into pinned memory and uploaded on the
 * copy stream while the compute stream initialises the outputs (counts, sums, histogram table to
 * 0; mins and maxs copied from device-resident templates of {@code INT64_MAX} and
 * {@code INT64_MIN}); the compute stream then waits for the upload, launches the kernel with the
 * arguments in the order {@code src/test/cuda/driver.cpp} passes them, and downloads the outputs.
 */
final class DeviceSession {

    private static final long INIT_CHUNK = 1 << 20;

    private final CUcontext context;
    private final CUmodule module;
    private final CUfunction function;
    private final CUstream copy;
    private final CUstream compute;
    private final CUevent start;
    private final CUevent inputReady;
    private final CUevent kernelStart;
    private final CUevent kernelEnd;
    private final CUevent end;

    private final PinnedBuffer hostValues = new PinnedBuffer();
    private final PinnedBuffer hostCellIds = new PinnedBuffer();
    private final PinnedBuffer[] hostOutputs = new PinnedBuffer[6];
    private final DeviceBuffer values = new DeviceBuffer();
    private final DeviceBuffer cellIds = new DeviceBuffer();
    private final DeviceBuffer counts = new DeviceBuffer();
    private final DeviceBuffer sums = new DeviceBuffer();
    private final DeviceBuffer mins = new DeviceBuffer();
    private final DeviceBuffer maxs = new DeviceBuffer();
    private final DeviceBuffer tableKeys = new DeviceBuffer();
    private final DeviceBuffer tableCounts = new DeviceBuffer();
    private final DeviceBuffer minsInit = new DeviceBuffer();
    private final DeviceBuffer maxsInit = new DeviceBuffer();

    private DeviceSession(CUcontext context, CUmodule module, CUfunction function, CUstream copy, CUstream compute,
            CUevent[] events) {
        this.context = context;
        this.module = module;
        this.function = function;
        this.copy = copy;
        this.compute = compute;
        this.start = events[0];
        this.inputReady = events[1];
        this.kernelStart = events[2];
        this.kernelEnd = events[3];
        this.end = events[4];
        for (int i = 0; i < hostOutputs.length; i++) {
            hostOutputs[i] = new PinnedBuffer();
        }
    }

    /**
     * Creates a context on device {@code ordinal} (current on the calling thread), loads the
     * kernel module from {@code image} (a fatbin or NUL-terminated PTX) and lets the kernel use
     * {@code sharedPerBlock} bytes of dynamic shared memory. On failure, frees what it created.
     */
    static DeviceSession open(int ordinal, byte[] image, int sharedPerBlock) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        CUcontext context = new CUcontext();
        JCudaDriver.cuCtxCreate(context, 0, device);
        CUmodule module = null;
        List<CUstream> streams = new ArrayList<>();
        List<CUevent> events = new ArrayList<>();
        try {
            CUmodule loading = new CUmodule();
            JCudaDriver.cuModuleLoadData(loading, image);
            module = loading;
            CUfunction function = new CUfunction();
            JCudaDriver.cuModuleGetFunction(function, module, "aggregate");
            if (sharedPerBlock > 0) {
                JCudaDriver.cuFuncSetAttribute(function,
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedPerBlock);
            }
            for (int i = 0; i < 2; i++) {
                CUstream stream = new CUstream();
                JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
                streams.add(stream);
            }
            for (int i = 0; i < 5; i++) {
                CUevent event = new CUevent();
                JCudaDriver.cuEventCreate(event, CUevent_flags.CU_EVENT_DEFAULT);
                events.add(event);
            }
            return new DeviceSession(context, module, function, streams.get(0), streams.get(1),
                    events.toArray(new CUevent[0]));
        } catch (RuntimeException | Error e) {
            Release release = new Release(e);
            events.forEach(event -> release.run(() -> JCudaDriver.cuEventDestroy(event)));
            streams.forEach(stream -> release.run(() -> JCudaDriver.cuStreamDestroy(stream)));
            CUmodule loaded = module;
            if (loaded != null) {
                release.run(() -> JCudaDriver.cuModuleUnload(loaded));
            }
            release.run(() -> JCudaDriver.cuCtxDestroy(context));
            throw e;
        }
    }

    /** Runs the kernel on {@code input} with {@code shape} and fills {@code output}; returns the device times. */
    DeviceTimes run(KernelInput input, LaunchShape shape, KernelOutput output) {
        int n = input.events();
        int idCount = input.cellIds().length;
        int cells = input.cells();
        int slots = input.tableSize();
        long cellBytes = cells * 8L;
        long slotBytes = slots * 8L;

        hostValues.ensure(n * 8L);
        hostCellIds.ensure(idCount * 4L);
        hostValues.putLongs(input.values(), n);
        hostCellIds.putInts(input.cellIds(), idCount);
        values.ensure(n * 8L);
        cellIds.ensure(idCount * 4L);
        for (DeviceBuffer buffer : List.of(counts, sums, mins, maxs)) {
            buffer.ensure(cellBytes);
        }
        tableKeys.ensure(slotBytes);
        tableCounts.ensure(slotBytes);
        ensureTemplate(minsInit, cellBytes, Long.MAX_VALUE);
        ensureTemplate(maxsInit, cellBytes, Long.MIN_VALUE);

        // upload on the copy stream
        JCudaDriver.cuEventRecord(start, copy);
        JCudaDriver.cuMemcpyHtoDAsync(values.pointer(), hostValues.pointer(), n * 8L, copy);
        JCudaDriver.cuMemcpyHtoDAsync(cellIds.pointer(), hostCellIds.pointer(), idCount * 4L, copy);
        JCudaDriver.cuEventRecord(inputReady, copy);

        // meanwhile initialise the outputs on the compute stream, then wait for the upload and launch
        JCudaDriver.cuMemsetD8Async(counts.pointer(), (byte) 0, cellBytes, compute);
        JCudaDriver.cuMemsetD8Async(sums.pointer(), (byte) 0, cellBytes, compute);
        JCudaDriver.cuMemcpyDtoDAsync(mins.pointer(), minsInit.pointer(), cellBytes, compute);
        JCudaDriver.cuMemcpyDtoDAsync(maxs.pointer(), maxsInit.pointer(), cellBytes, compute);
        JCudaDriver.cuMemsetD8Async(tableKeys.pointer(), (byte) 0, slotBytes, compute);
        JCudaDriver.cuMemsetD8Async(tableCounts.pointer(), (byte) 0, slotBytes, compute);
        JCudaDriver.cuStreamWaitEvent(compute, inputReady, 0);
        JCudaDriver.cuEventRecord(kernelStart, compute);
        // aggregate(events, dims, values, cellIds, cells, sharedCells, counts, sums, mins, maxs, tableKeys,
        //           tableCounts, tableMask), exactly as src/test/cuda/driver.cpp launches it
        Pointer arguments = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new int[] {input.dimensions()}),
                Pointer.to(values.pointer()), Pointer.to(cellIds.pointer()), Pointer.to(new int[] {cells}),
                Pointer.to(new int[] {shape.sharedBytes() != 0 ? 1 : 0}), Pointer.to(counts.pointer()),
                Pointer.to(sums.pointer()), Pointer.to(mins.pointer()), Pointer.to(maxs.pointer()),
                Pointer.to(tableKeys.pointer()), Pointer.to(tableCounts.pointer()), Pointer.to(new long[] {slots - 1L}));
        JCudaDriver.cuLaunchKernel(function, shape.blocks(), 1, 1, shape.threads(), 1, 1, shape.sharedBytes(), compute,
                arguments, null);
        JCudaDriver.cuEventRecord(kernelEnd, compute);

        // download on the compute stream, after the kernel
        DeviceBuffer[] sources = {counts, sums, mins, maxs, tableKeys, tableCounts};
        long[][] targets = {output.counts(), output.sums(), output.mins(), output.maxs(), output.tableKeys(),
            output.tableCounts()};
        long bytesOut = 0;
        for (int i = 0; i < sources.length; i++) {
            long bytes = targets[i].length * 8L;
            hostOutputs[i].ensure(bytes);
            JCudaDriver.cuMemcpyDtoHAsync(hostOutputs[i].pointer(), sources[i].pointer(), bytes, compute);
            bytesOut += bytes;
        }
        JCudaDriver.cuEventRecord(end, compute);
        JCudaDriver.cuStreamSynchronize(compute);
        for (int i = 0; i < targets.length; i++) {
            hostOutputs[i].getLongs(targets[i], targets[i].length);
        }
        return new DeviceTimes(elapsed(start, inputReady), elapsed(kernelStart, kernelEnd), elapsed(kernelEnd, end),
                elapsed(start, end), n * 8L + idCount * 4L, bytesOut);
    }

    /** Frees everything, the context last, each step attempted even if one fails; call once, on the opening thread. */
    void close() {
        Release release = new Release(null);
        for (PinnedBuffer buffer : hostOutputs) {
            release.run(buffer::free);
        }
        release.run(hostValues::free);
        release.run(hostCellIds::free);
        for (DeviceBuffer buffer : List.of(values, cellIds, counts, sums, mins, maxs, tableKeys, tableCounts, minsInit,
                maxsInit)) {
            release.run(buffer::free);
        }
        for (CUevent event : List.of(start, inputReady, kernelStart, kernelEnd, end)) {
            release.run(() -> JCudaDriver.cuEventDestroy(event));
        }
        release.run(() -> JCudaDriver.cuStreamDestroy(copy));
        release.run(() -> JCudaDriver.cuStreamDestroy(compute));
        release.run(() -> JCudaDriver.cuModuleUnload(module));
        release.run(() -> JCudaDriver.cuCtxDestroy(context));
        release.rethrow();
    }

    /**
     * Grows a device buffer of {@code value}s to {@code bytes}, filled once per growth with
     * synchronous copies of a heap chunk (a pageable source is fine for a synchronous copy), then a
     * context synchronisation so the non-blocking streams never read it half-written.
     */
    private static void ensureTemplate(DeviceBuffer template, long bytes, long value) {
        if (!template.ensure(bytes)) {
            return;
        }
        long longs = template.capacity() / 8;
        long[] chunk = new long[(int) Math.min(longs, INIT_CHUNK)];
        Arrays.fill(chunk, value);
        for (long done = 0; done < longs; done += chunk.length) {
            long count = Math.min(chunk.length, longs - done);
            CUdeviceptr at = template.pointer().withByteOffset(done * 8);
            JCudaDriver.cuMemcpyHtoD(at, Pointer.to(chunk), count * 8);
        }
        JCudaDriver.cuCtxSynchronize();
    }

    private static float elapsed(CUevent from, CUevent to) {
        float[] ms = new float[1];
        JCudaDriver.cuEventElapsedTime(ms, from, to);
        return ms[0];
    }

    /** Runs release steps to the end: the first failure is kept (or added to {@code primary}) and rethrown once. */
    private static final class Release {

        private final Throwable primary;
        private RuntimeException first;

        Release(Throwable primary) {
            this.primary = primary;
        }

        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }

        void rethrow() {
            if (first != null) {
                throw first;
            }
        }
    }
}
