package dev.freshet.testbed;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit side of {@link WithTestbed}: the testbed once per JVM, and one namespace per test
 * method, named after the method (so a leftover object tells which test made it) and deleted
 * afterwards.
 */
public final class TestbedExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(TestbedExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    Testbed.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String name =
        namespaceName(
            context.getRequiredTestClass().getSimpleName(),
            context.getRequiredTestMethod().getName());
    Testbed.get()
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("freshet.dev/test", "true")
                .endMetadata()
                .build())
        .create();
    waitForDefaultServiceAccount(name);
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace =
        context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    KubernetesClient client =
        context.getStore(STORE).remove(KubernetesClient.class, KubernetesClient.class);
    if (client != null) {
      client.close();
    }
    if (namespace != null) {
      // Not waited for: the namespace controller finishes the deletion while the next test runs.
      Testbed.get().client().namespaces().withName(namespace.name()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Testbed.class || type == TestNamespace.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Testbed.class) {
      return Testbed.get();
    }
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      throw new ParameterResolutionException(
          type.getSimpleName() + " is available to test methods only, not to lifecycle methods");
    }
    if (type == TestNamespace.class) {
      return namespace;
    }
    return context
        .getStore(STORE)
        .getOrComputeIfAbsent(
            KubernetesClient.class,
            k -> Testbed.get().clientIn(namespace.name()),
            KubernetesClient.class);
  }

  /**
   * Pods are refused until the controller-manager has created the namespace's default
   * ServiceAccount.
   */
  private static void waitForDefaultServiceAccount(String namespace) {
    Testbed.get()
        .client()
        .serviceAccounts()
        .inNamespace(namespace)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 30, TimeUnit.SECONDS);
  }

  /**
   * A DNS label naming the test, with a random suffix so reruns and parallel runs never collide.
   */
  static String namespaceName(String testClass, String testMethod) {
    String slug =
        (testClass + "-" + testMethod)
            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-|-$", "");
    if (slug.length() > 56) {
      slug = slug.substring(0, 56).replaceAll("-$", "");
    }
    return slug
        + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }
}
