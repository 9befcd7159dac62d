package io.streamfold.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit 5 side of {@link RedisTest}: one server per test class, closed with the class. */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static RedisServer server(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        Class<?> testClass = classContext.getRequiredTestClass();
        RedisTest settings = testClass.getAnnotation(RedisTest.class);
        RedisOptions options = new RedisOptions(settings != null && settings.appendOnly()
                ? RedisOptions.Persistence.AOF_ALWAYS : RedisOptions.Persistence.NONE);
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(testClass, key -> new Closing(RedisServers.start(options)), Closing.class)
                .server;
    }

    /** Lets the JUnit store close the server with the class context. */
    private record Closing(RedisServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
