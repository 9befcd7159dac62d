package io.streamfold.processor.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The probe's answer is the JVM's, not a class loader's: Quarkus dev and test mode load the
 * application again on every restart, while JCuda, loaded parent-first, stays initialised (or failed)
 * once per JVM. What each situation answers is {@link NoGpuTest}'s (fresh JVMs).
 */
class CudaProbeTest {

    @Test
    void theApplicationLoadedAgainInANewClassLoaderGetsTheSameAnswer() throws Exception {
        CudaProbe first = CudaProbe.once();

        try (ChildFirst loader = new ChildFirst(Path.of("target", "classes").toUri().toURL())) {
            Class<?> again = loader.loadClass(CudaProbe.class.getName());
            assertThat(again.getClassLoader()).isSameAs(loader);
            Object answer = again.getMethod("once").invoke(null);

            assertThat(again.getMethod("outcome").invoke(answer).toString()).isEqualTo(first.outcome().name());
            assertThat(again.getMethod("reason").invoke(answer)).isEqualTo(first.reason());
        }
    }

    /** Defines the application's classes itself, as Quarkus' class loader does; everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {

        ChildFirst(URL classes) {
            super(new URL[] {classes}, CudaProbeTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!name.startsWith("io.streamfold.processor.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
