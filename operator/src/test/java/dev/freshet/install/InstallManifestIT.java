package dev.freshet.install;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.Kubectl;
import dev.freshet.it.RunningOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * deploy/install.yaml applies cleanly, and its RBAC is enough: an operator acting as the installed
 * service account (impersonated) elects a leader and brings an App up.
 */
@WithTestbed
class InstallManifestIT {

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
      assertThat(admin.v1().events().list().getItems())
          .anyMatch(e -> "Created".equals(e.getReason()));
    }
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
