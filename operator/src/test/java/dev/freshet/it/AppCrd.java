package dev.freshet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Installs the CRD the build generated, once per test JVM, the way users do (kubectl server-side
 * apply, so tests and `kubectl apply -f deploy/install.yaml` share one field manager), and waits
 * until it is served.
 */
public final class AppCrd {

  public static final String RESOURCE = "/META-INF/fabric8/apps.freshet.dev-v1.yml";
  private static boolean installed;

  private AppCrd() {}

  /** The generated CRD as a file; under failsafe it is read from the module's jar. */
  public static Path generatedFile() {
    try (var in = AppCrd.class.getResourceAsStream(RESOURCE)) {
      Path file = Files.createTempFile("apps.freshet.dev", ".yml");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static synchronized void install(KubernetesClient client) {
    if (installed) {
      return;
    }
    String output =
        Kubectl.run(
            "apply", "--server-side", "--force-conflicts", "-f", generatedFile().toString());
    assertThat(output).contains("apps.freshet.dev");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var crd =
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName("apps.freshet.dev")
                      .get();
              // A CRD just created has no status yet: not established, not an error.
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
    installed = true;
  }
}
