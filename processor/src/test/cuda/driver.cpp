// Runs aggregate.cu under the CPU emulator: reads a batch packed by KernelInput (little-endian:
// int32 events, dims, cells, tableSize, blocks, threads, sharedBytes; int64 values[events];
// int32 cellIds[events * dims]), launches the kernel, writes counts, sums, mins, maxs (int64
// [cells] each), tableKeys, tableCounts (int64 [tableSize] each).
// Usage: driver input output
#include "cuda_emu.h"
#include "../../main/cuda/aggregate.cu"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

template <class T> static void readAll(std::ifstream& in, std::vector<T>& v) {
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}

template <class T> static void writeAll(std::ofstream& out, const std::vector<T>& v) {
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: driver input output\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    int32_t header[7];
    in.read(reinterpret_cast<char*>(header), sizeof header);
    auto [events, dims, cells, tableSize, blocks, threads, sharedBytes] = header;
    std::vector<long long> values(events);
    std::vector<int> cellIds(static_cast<size_t>(events) * dims);
    readAll(in, values);
    readAll(in, cellIds);
    if (!in) {
        std::fprintf(stderr, "input truncated\n");
        return 2;
    }
    std::vector<unsigned long long> counts(cells, 0), sums(cells, 0), keys(tableSize, 0), tableCounts(tableSize, 0);
    std::vector<long long> mins(cells, LLONG_MAX), maxs(cells, LLONG_MIN);
    emu::launch(blocks, threads, sharedBytes, [&] {
        aggregate(events, dims, values.data(), cellIds.data(), cells, sharedBytes != 0, counts.data(), sums.data(),
                  mins.data(), maxs.data(), keys.data(), tableCounts.data(), static_cast<unsigned long long>(tableSize - 1));
    });
    std::ofstream out(argv[2], std::ios::binary);
    writeAll(out, counts);
    writeAll(out, sums);
    writeAll(out, mins);
    writeAll(out, maxs);
    writeAll(out, keys);
    writeAll(out, tableCounts);
    return out ? 0 : 1;
}
