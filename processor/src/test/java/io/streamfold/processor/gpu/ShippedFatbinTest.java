package io.streamfold.processor.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped kernel binary ({@code aggregate.fatbin}: sm_90 machine code plus compute_75 PTX,
 * built by nvcc 13.0 so driver 580 can load it) is what {@code src/main/cuda/aggregate.cu}
 * compiles to: where nvcc 13.0 is installed (here and on CI) the test recompiles the source and
 * fails on any difference, so an edited kernel cannot ship with a stale binary.
 *
 * <p>Rebuild after editing the kernel (from {@code processor/}):
 * {@code nvcc -fatbin -gencode arch=compute_90,code=sm_90 -gencode arch=compute_75,code=compute_75
 * -o src/main/resources/io/streamfold/processor/gpu/aggregate.fatbin src/main/cuda/aggregate.cu}
 */
class ShippedFatbinTest {

    static final String RESOURCE = "/io/streamfold/processor/gpu/aggregate.fatbin";
    private static final String PINNED_RELEASE = "release 13.0,";
    private static final byte[] FATBIN_MAGIC = {0x50, (byte) 0xED, 0x55, (byte) 0xBA};

    @Test
    void theShippedFatbinIsOnTheClasspathAndHoldsTheAggregateKernel() throws IOException {
        byte[] shipped = shipped();
        assertThat(Arrays.copyOf(shipped, 4)).as("fatbin magic").isEqualTo(FATBIN_MAGIC);
        assertThat(new String(shipped, StandardCharsets.ISO_8859_1)).contains("aggregate");
    }

    @Test
    void theShippedFatbinIsExactlyWhatTheKernelSourceCompilesTo() throws IOException, InterruptedException {
        Optional<Path> nvcc = nvcc();
        Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not installed: the fatbin cannot be rebuilt here");
        String version = run(List.of(nvcc.get().toString(), "--version"));
        Assumptions.assumeTrue(version.contains(PINNED_RELEASE),
                "the fatbin is pinned to nvcc 13.0 (PTX 9.0, loadable by driver 580); found: " + version.strip());
        Path build = Files.createDirectories(Path.of("target", "fatbin"));
        Path rebuilt = build.resolve("aggregate.fatbin");
        run(List.of(nvcc.get().toString(), "-fatbin", "-gencode", "arch=compute_90,code=sm_90", "-gencode",
                "arch=compute_75,code=compute_75", "-o", rebuilt.toString(), "src/main/cuda/aggregate.cu"));

        if (!Arrays.equals(Files.readAllBytes(rebuilt), shipped())) {
            fail("src/main/resources" + RESOURCE + " is stale: it differs from what src/main/cuda/aggregate.cu compiles to;"
                    + " copy " + rebuilt.toAbsolutePath() + " over it (see this test's Javadoc)");
        }
    }

    private static byte[] shipped() throws IOException {
        try (InputStream in = ShippedFatbinTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the classpath").isNotNull();
            return in.readAllBytes();
        }
    }

    private static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "nvcc"));
            }
        }
        candidates.add(Path.of("/usr/local/bin/nvcc"));
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("exit " + process.exitValue() + " from " + String.join(" ", command) + ":\n" + text);
        }
        return text;
    }
}
