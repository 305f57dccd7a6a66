package dev.freshet.app.ownership;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What an App creates goes when the App goes; what someone else created is never taken over, and
 * the App says which object blocks it.
 */
@WithTestbed
class OwnershipIT {

  @Test
  void deletingTheAppRemovesItsObjects(KubernetesClient client, TestNamespace ns) {
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web")).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client.apps().deployments().withName("web").get() != null
                      && client.services().withName("web").get() != null);

      client.resources(App.class).withName("web").delete();

      // The testbed runs the real garbage collector, which follows the owner references.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(client.apps().deployments().withName("web").get()).isNull();
                assertThat(client.services().withName("web").get()).isNull();
                assertThat(client.pods().withLabel("freshet.dev/app", "web").list().getItems())
                    .isEmpty();
              });
    }
  }

  @Test
  void someoneElsesServiceIsLeftAloneAndReported(KubernetesClient client, TestNamespace ns) {
    Service theirs =
        client
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("web")
                    .addToLabels("owner", "someone-else")
                    .endMetadata()
                    .withNewSpec()
                    .addToSelector("app", "theirs")
                    .addNewPort()
                    .withName("custom")
                    .withPort(9999)
                    .endPort()
                    .endSpec()
                    .build())
            .create();

    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web")).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition degraded = condition(client, "Degraded");
                assertThat(degraded).isNotNull();
                assertThat(degraded.getStatus()).isEqualTo("True");
                assertThat(degraded.getReason()).isEqualTo("Blocked");
                assertThat(degraded.getMessage())
                    .contains("Service " + ns.name() + "/web already exists and is not owned");
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().list().getItems())
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("Blocked");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                            assertThat(e.getMessage()).contains("Service " + ns.name() + "/web");
                          }));

      // The workload is not blocked by the Service and is created as usual.
      assertThat(client.apps().deployments().withName("web").get()).isNotNull();
      Service after = client.services().withName("web").get();
      assertThat(after.getMetadata().getResourceVersion())
          .isEqualTo(theirs.getMetadata().getResourceVersion());
      assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(after.getMetadata().getManagedFields())
          .noneMatch(f -> "freshet".equals(f.getManager()));
    }
  }

  private static Condition condition(KubernetesClient client, String type) {
    App app = client.resources(App.class).withName("web").get();
    if (app.getStatus() == null) {
      return null;
    }
    return app.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElse(null);
  }
}
