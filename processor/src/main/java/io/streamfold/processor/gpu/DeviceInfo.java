package io.streamfold.processor.gpu;

/**
 * What the host needs to know about a CUDA device: its name and compute capability, the limits a
 * launch is shaped by, its memory and its theoretical memory bandwidth. Framework-free; read from
 * the driver by {@link CudaProbe}.
 *
 * @param memoryClockKhz     peak memory clock in kHz, 0 where the driver does not report it
 * @param memoryBusWidthBits global memory bus width in bits, 0 where the driver does not report it
 */
public record DeviceInfo(int ordinal, String name, int computeMajor, int computeMinor, long totalMemoryBytes,
        LaunchShape.Limits limits, int memoryClockKhz, int memoryBusWidthBits) {

    /**
     * The theoretical memory bandwidth in bytes/s: memory clock x 2 (double data rate) x bus width
     * in bytes; {@code NaN} where the driver reports no clock or bus width.
     */
    public double bandwidthBytesPerSecond() {
        if (memoryClockKhz <= 0 || memoryBusWidthBits <= 0) {
            return Double.NaN;
        }
        return memoryClockKhz * 1_000.0 * 2 * (memoryBusWidthBits / 8.0);
    }

    @Override
    public String toString() {
        return String.format("device %d: %s (compute %d.%d, %d SMs, %d MiB, %.0f GB/s)", ordinal, name, computeMajor,
                computeMinor, limits.multiprocessors(), totalMemoryBytes >> 20, bandwidthBytesPerSecond() / 1e9);
    }
}
