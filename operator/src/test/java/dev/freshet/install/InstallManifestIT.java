package dev.freshet.install;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.app.api.App;
import dev.freshet.it.Kubectl;
import dev.freshet.it.RunningOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * deploy/install.yaml applies cleanly, and its RBAC is enough: an operator acting as the installed
 * service account (impersonated) elects a leader and brings an App up. It names the image this
 * build made, by digest, and runs it locked down.
 */
@WithTestbed
class InstallManifestIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void installAppliesAndItsServiceAccountCanRunTheOperator(
      KubernetesClient admin, TestNamespace ns, Testbed testbed) {
    String output =
        Kubectl.run(
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            testbed.checkoutRoot().resolve("deploy/install.yaml").toString());
    assertThat(output)
        .contains("customresourcedefinition.apiextensions.k8s.io/apps.freshet.dev")
        .contains("clusterrole.rbac.authorization.k8s.io/freshet-operator")
        .contains("deployment.apps/freshet-operator");

    var asServiceAccount =
        new ConfigBuilder(testbed.config())
            .withNamespace(ns.name())
            .withImpersonateUsername("system:serviceaccount:freshet-system:freshet")
            .build();
    try (KubernetesClient operatorClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var operator =
            RunningOperator.start(operatorClient, ns.name(), Duration.ofMinutes(10), lease(ns))) {
      admin.resource(app("web")).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                App app = admin.resources(App.class).withName("web").get();
                assertThat(app.getStatus()).isNotNull();
                assertThat(app.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
              });
      // Events are written by the recorder's own thread, a moment after the status.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(admin.v1().events().list().getItems())
                      .anyMatch(e -> "Created".equals(e.getReason())));
    }
  }

  @Test
  void installRunsTheImageThisBuildMadeByDigestLockedDown(KubernetesClient client)
      throws IOException {
    String digest = Files.readString(Path.of("target", "jib-image.digest")).trim();
    String name =
        JSON.readTree(Path.of("target", "jib-image.json").toFile()).path("image").asText();
    Deployment deployment;
    try (InputStream in = Files.newInputStream(Path.of("..", "deploy", "install.yaml"))) {
      deployment =
          client.load(in).items().stream()
              .filter(Deployment.class::isInstance)
              .map(Deployment.class::cast)
              .findFirst()
              .orElseThrow();
    }
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(operator.getImage())
        .as(
            "deploy/install.yaml names another image than this build made; run"
                + " deploy/assemble-install.sh (make build) and commit it")
        .isEqualTo(name + "@" + digest);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // The image's JVM writes its temporary files to /tmp: an emptyDir on a read-only root.
    assertThat(operator.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    String tmp =
        operator.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow()
            .getName();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo(tmp);
              assertThat(v.getEmptyDir()).isNotNull();
            });
  }

  /** The installed Role covers Leases in freshet-system; one per test keeps runs apart. */
  private static Optional<OperatorSettings.LeaderElection> lease(TestNamespace ns) {
    return Optional.of(
        new OperatorSettings.LeaderElection(
            "freshet-it-" + ns.name(),
            "freshet-system",
            ns.name(),
            Duration.ofSeconds(6),
            Duration.ofSeconds(4),
            Duration.ofSeconds(1),
            false));
  }
}
