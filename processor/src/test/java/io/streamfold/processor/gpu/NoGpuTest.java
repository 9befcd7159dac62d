package io.streamfold.processor.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The two ways a machine has no usable GPU, for real, each in a JVM of its own ({@link ProbeMain};
 * JCuda's JNI library loads once per JVM) with a fresh {@code java.io.tmpdir} for JCuda to extract
 * its library into: without the driver's {@code libcuda.so.1} (this machine and CI), and with a
 * driver that finds no device (a stub {@code libcuda.so.1} built here from
 * {@code src/test/cuda/libcuda_no_device.c}, found first through {@code LD_LIBRARY_PATH}). In both,
 * {@code auto} runs the CPU engine with the reason and {@code gpu} refuses to start, saying why.
 */
class NoGpuTest {

    private static final Path BUILD = Path.of("target", "no-gpu");
    private static final String NOT_FOUND = "libcuda.so.1: cannot open shared object file: No such file or directory";

    @Test
    void withoutTheDriverLibraryTheProbeSaysNoDriverAutoRunsTheCpuAndGpuRefusesToStart() throws Exception {
        Assumptions.assumeFalse(driverInstalled(), "an NVIDIA driver (libcuda.so.1) is installed on this host");

        List<String> lines = probeInAFreshJvm(null);

        assertThat(lines).containsExactly(
                "probe=NO_DRIVER",
                "reason=no CUDA driver: " + NOT_FOUND,
                "auto=cpu no_driver",
                "gpu=no_driver: streamfold.aggregation.backend=gpu, but the GPU backend cannot run (no_driver): no CUDA driver: "
                        + NOT_FOUND);
    }

    @Test
    void withADriverThatFindsNoDeviceTheProbeSaysNoDeviceAutoRunsTheCpuAndGpuRefusesToStart() throws Exception {
        Path stubDir = Files.createDirectories(BUILD.resolve("stub-driver")).toAbsolutePath();
        run(List.of("gcc", "-shared", "-fPIC", "-Wall", "-Werror", "-Wl,-soname,libcuda.so.1", "-o",
                stubDir.resolve("libcuda.so.1").toString(), "src/test/cuda/libcuda_no_device.c"), Map.of(), "gcc");

        List<String> lines = probeInAFreshJvm(stubDir);

        assertThat(lines).containsExactly(
                "probe=NO_DEVICE",
                "reason=no CUDA device: CUDA_ERROR_NO_DEVICE",
                "auto=cpu no_device",
                "gpu=no_device: streamfold.aggregation.backend=gpu, but the GPU backend cannot run (no_device): no CUDA device: "
                        + "CUDA_ERROR_NO_DEVICE");
    }

    /** Runs {@link ProbeMain} in a new JVM; {@code libraryDir} is its whole {@code LD_LIBRARY_PATH} (none if null). */
    private static List<String> probeInAFreshJvm(Path libraryDir) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory(Files.createDirectories(BUILD), "tmpdir").toAbsolutePath();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", classpath, ProbeMain.class.getName());
        try {
            String output = run(command, libraryDir == null ? Map.of() : Map.of("LD_LIBRARY_PATH", libraryDir.toString()),
                    "java");
            return output.lines().filter(line -> line.matches("^(probe|reason|auto|gpu)=.*")).toList();
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(tmp);
        }
    }

    /** Whether the dynamic loader's cache lists libcuda.so.1: then "no driver" cannot be shown here. */
    private static boolean driverInstalled() throws IOException, InterruptedException {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (Files.isExecutable(Path.of(ldconfig))) {
                return run(List.of(ldconfig, "-p"), Map.of(), "ldconfig").contains("libcuda.so.1 ");
            }
        }
        return false;
    }

    private static String run(List<String> command, Map<String, String> environment, String tool)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LD_LIBRARY_PATH");
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail(tool + " is required by this test and could not be started: " + e.getMessage(), e);
        }
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String output = new String(bytes, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("exit " + process.exitValue() + " from " + String.join(" ", new ArrayList<>(command)) + ":\n" + output);
        }
        return output;
    }
}
