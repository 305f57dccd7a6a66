package dev.freshet.app.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.Kubectl;
import dev.freshet.it.PersistentVolumes;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped sample and examples are valid Apps that come up Ready as written. */
@WithTestbed
class ExamplesIT {

  @Test
  void ciServerStackComesUp(KubernetesClient client, TestNamespace ns, Testbed testbed) {
    var deploy = testbed.checkoutRoot().resolve("deploy");
    try (var volumes = new PersistentVolumes(client);
        var operator = RunningOperator.start(client, ns.name())) {
      volumes.reserveFor(ns.name(), "data-postgres-0", "1Gi");

      Kubectl.run(
          "apply", "--server-side", "-n", ns.name(), "-f", deploy.resolve("examples").toString());

      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(ready(client, "postgres")).isTrue();
                assertThat(ready(client, "concourse-web")).isTrue();
              });
      assertThat(client.apps().statefulSets().withName("postgres").get()).isNotNull();
      assertThat(client.apps().deployments().withName("concourse-web").get()).isNotNull();
    }
  }

  @Test
  void sampleAppComesUp(KubernetesClient client, TestNamespace ns, Testbed testbed) {
    var sample = testbed.checkoutRoot().resolve("deploy/samples/demo-app.yaml");
    try (var operator = RunningOperator.start(client, ns.name())) {
      Kubectl.run("apply", "--server-side", "-n", ns.name(), "-f", sample.toString());

      await().atMost(Duration.ofSeconds(60)).until(() -> ready(client, "demo"));
    }
  }

  static boolean ready(KubernetesClient client, String name) {
    App app = client.resources(App.class).withName(name).get();
    return app != null
        && app.getStatus() != null
        && app.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
