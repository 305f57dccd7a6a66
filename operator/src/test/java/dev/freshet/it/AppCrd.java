package dev.freshet.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Installs the CRD the build generated, once per test JVM, and waits until it is served. */
public final class AppCrd {

  public static final String RESOURCE = "/META-INF/fabric8/apps.freshet.dev-v1.yml";
  private static boolean installed;

  private AppCrd() {}

  public static synchronized void install(KubernetesClient client) {
    if (installed) {
      return;
    }
    try (InputStream yaml = AppCrd.class.getResourceAsStream(RESOURCE)) {
      var crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      client.resource(crd).fieldManager("freshet-tests").forceConflicts().serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.apiextensions().v1().customResourceDefinitions().withName("apps.freshet.dev").get()
                    .getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    installed = true;
  }
}
