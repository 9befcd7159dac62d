package io.streamfold.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class its own real Redis, started before the first test and stopped after the
 * last. Declare a {@link RedisServer} parameter on a constructor, a lifecycle method or a test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisExtension.class)
public @interface RedisTest {

    /** Keep an append-only file, so data survives restarts and kills. */
    boolean appendOnly() default false;
}
