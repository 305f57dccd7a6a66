package dev.freshet.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class on the local testbed: the testbed is started once per JVM (or an already
 * running one is reused), and each test method gets a namespace of its own, deleted afterwards.
 * Test methods may declare parameters of type {@link Testbed}, {@link TestNamespace} and {@code
 * KubernetesClient} (whose default namespace is the test's).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestbedExtension.class)
public @interface WithTestbed {}
