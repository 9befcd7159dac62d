package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool} (Debian's {@code prometheus} package); fails the test, never skips it, when it is missing. */
final class Promtool {

    private static final long TIMEOUT_SECONDS = 60;

    private Promtool() {
    }

    /** Exit code and output (stdout and stderr together, after the command line) of one promtool run. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code promtool args…} in {@code directory}. */
    static Result run(Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("promtool is not on the PATH (" + e.getMessage() + "). Install it: on Debian or Ubuntu "
                    + "`apt-get install --no-install-recommends prometheus` (promtool 2.42 on Debian 12), or the prometheus "
                    + "release tarball's promtool from https://prometheus.io/download/ somewhere on the PATH.");
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("promtool " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), "promtool " + String.join(" ", args) + "\n" + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for promtool", e);
        }
    }
}
