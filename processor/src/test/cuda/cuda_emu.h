// cuda_emu.h: run CUDA C kernels on the CPU, for tests on machines without a GPU.
//
// Emulates the subset our kernels need (atomicAdd/Min/Max/CAS, __clzll): one std::thread per CUDA thread, every block of a launch
// running at once, each with its own barrier (__syncthreads) and its own dynamic shared memory.
// Compile the unchanged kernel source with g++ -std=c++20 -pthread (add -fsanitize=thread to catch
// races such as a missing __syncthreads). Kernels declare dynamic shared memory with
// DYNAMIC_SHARED(type, name); on nvcc define it as `extern __shared__ type name[]`.
// Static `__shared__` arrays are not supported (they would be shared by every block).
#pragma once
#include <atomic>
#include <barrier>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define DYNAMIC_SHARED(T, name) T* name = reinterpret_cast<T*>(emu::block_smem)

struct dim3 { unsigned x = 1, y = 1, z = 1; };

namespace emu {
inline thread_local std::barrier<>* block_barrier;
inline thread_local unsigned char* block_smem;
}  // namespace emu

inline thread_local dim3 threadIdx, blockIdx;
inline thread_local dim3 blockDim, gridDim;

inline void __syncthreads() { emu::block_barrier->arrive_and_wait(); }

template <class T> inline T atomicAdd(T* p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
template <class T> inline T atomicMin(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T cur = a.load();
    while (v < cur && !a.compare_exchange_weak(cur, v)) {}
    return cur;
}
template <class T> inline T atomicMax(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T cur = a.load();
    while (v > cur && !a.compare_exchange_weak(cur, v)) {}
    return cur;
}

template <class T> inline T atomicCAS(T* p, T compare, T v) {
    std::atomic_ref<T>(*p).compare_exchange_strong(compare, v);
    return compare;  // the old value: equal to `compare` exactly when the swap happened
}

// Leading zeros of the 64-bit pattern; 64 for zero, as on the device.
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x)); }

namespace emu {
// launch(grid, block, sharedBytes, [&]{ kernel(args...); }) == kernel<<<grid, block, sharedBytes>>>(args...)
template <class F> void launch(unsigned grid, unsigned block, std::size_t sharedBytes, F kernel) {
    std::vector<std::unique_ptr<std::barrier<>>> barriers;
    std::vector<std::unique_ptr<unsigned char[]>> smem;
    for (unsigned b = 0; b < grid; ++b) {
        barriers.push_back(std::make_unique<std::barrier<>>(block));
        smem.push_back(std::make_unique<unsigned char[]>(sharedBytes + 16));
    }
    std::vector<std::thread> threads;
    for (unsigned b = 0; b < grid; ++b)
        for (unsigned t = 0; t < block; ++t)
            threads.emplace_back([&, b, t] {
                blockIdx.x = b; threadIdx.x = t; blockDim.x = block; gridDim.x = grid;
                block_barrier = barriers[b].get();
                block_smem = smem[b].get();
                kernel();
            });
    for (auto& th : threads) th.join();
}
}  // namespace emu
