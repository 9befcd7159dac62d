// aggregate.cu: the GPU form of the CPU engine (io.streamfold.processor.aggregation.CpuAggregator).
//
// Input, packed by io.streamfold.processor.gpu.KernelInput: per event its value (int64) and, per
// dimension, a dense cell id = minuteIdx * totalValues + offset[d] + valueId (event-major:
// cellIds[i * dims + d]). Output per dense cell: count, sum, min, max (initialised by the host to
// 0, 0, INT64_MAX, INT64_MIN), and a global open-addressing histogram table keyed by
// cellId << 16 | (bucket + 2^15) (never 0, so 0 marks an empty slot) holding event counts.
//
// With sharedCells != 0 the 32 bytes per cell of all cells fit in dynamic shared memory: each
// block accumulates there and flushes each touched cell with one global atomic per statistic.
// Otherwise every event goes straight to global atomics.
//
// Runs unchanged under the CPU emulator (src/test/cuda/cuda_emu.h) for the tests.
#ifdef __CUDACC__
#define DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif

#define SUB_BITS 7
#define SUB_BUCKETS 128
#define BUCKET_OFFSET 32768
#define INT64_MAX_ 0x7fffffffffffffffLL
#define INT64_MIN_ (-INT64_MAX_ - 1)

// io.streamfold.contract.ValueHistogram.bucket, in integer arithmetic only. Any value but INT64_MIN.
__device__ __forceinline__ int histogramBucket(long long value) {
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long) value : (unsigned long long) value;
    int index;
    if (magnitude < SUB_BUCKETS) {
        index = (int) magnitude;
    } else {
        int exponent = 63 - __clzll((long long) magnitude);
        int sub = (int) (magnitude >> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        index = (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }
    return value < 0 ? -index : index;
}

__device__ __forceinline__ void addToHistogram(unsigned long long* keys, unsigned long long* counts,
        unsigned long long mask, long long cell, int bucket) {
    unsigned long long key = ((unsigned long long) cell << 16) | (unsigned long long) (bucket + BUCKET_OFFSET);
    unsigned long long slot = (key * 0x9E3779B97F4A7C15ULL >> 20) & mask;
    for (;;) {
        unsigned long long previous = atomicCAS(&keys[slot], 0ULL, key);
        if (previous == 0ULL || previous == key) {
            atomicAdd(&counts[slot], 1ULL);
            return;
        }
        slot = (slot + 1) & mask;
    }
}

extern "C" __global__ void aggregate(int events, int dims, const long long* values, const int* cellIds,
        int cells, int sharedCells,
        unsigned long long* counts, unsigned long long* sums, long long* mins, long long* maxs,
        unsigned long long* tableKeys, unsigned long long* tableCounts, unsigned long long tableMask) {
    DYNAMIC_SHARED(long long, shared);
    unsigned long long* blockCounts = (unsigned long long*) shared;
    unsigned long long* blockSums = blockCounts + cells;
    long long* blockMins = shared + 2 * (long long) cells;
    long long* blockMaxs = blockMins + cells;
    if (sharedCells) {
        for (int c = threadIdx.x; c < cells; c += blockDim.x) {
            blockCounts[c] = 0;
            blockSums[c] = 0;
            blockMins[c] = INT64_MAX_;
            blockMaxs[c] = INT64_MIN_;
        }
        __syncthreads();
    }
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < events; i += blockDim.x * gridDim.x) {
        long long value = values[i];
        int bucket = histogramBucket(value);
        for (int d = 0; d < dims; d++) {
            int cell = cellIds[(long long) i * dims + d];
            if (sharedCells) {
                atomicAdd(&blockCounts[cell], 1ULL);
                atomicAdd(&blockSums[cell], (unsigned long long) value);
                atomicMin(&blockMins[cell], value);
                atomicMax(&blockMaxs[cell], value);
            } else {
                atomicAdd(&counts[cell], 1ULL);
                atomicAdd(&sums[cell], (unsigned long long) value);
                atomicMin(&mins[cell], value);
                atomicMax(&maxs[cell], value);
            }
            addToHistogram(tableKeys, tableCounts, tableMask, cell, bucket);
        }
    }
    if (sharedCells) {
        __syncthreads();
        for (int c = threadIdx.x; c < cells; c += blockDim.x) {
            unsigned long long count = blockCounts[c];
            if (count != 0) {
                atomicAdd(&counts[c], count);
                atomicAdd(&sums[c], blockSums[c]);
                atomicMin(&mins[c], blockMins[c]);
                atomicMax(&maxs[c], blockMaxs[c]);
            }
        }
    }
}
