package dev.freshet.app.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fields Freshet applies are restored after someone changes them; fields others add are kept; and
 * an App that has converged costs no writes, however often it is reconciled.
 */
@WithTestbed
class DriftIT {

  private static final Duration RESYNC = Duration.ofSeconds(2);

  @Test
  void scaledReplicasAreRestored(KubernetesClient client, TestNamespace ns) {
    try (var operator = start(client, ns)) {
      createAndAwaitReady(client, "web");

      client.apps().deployments().withName("web").scale(5);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(deployment(client).getSpec().getReplicas()).isEqualTo(2));
    }
  }

  @Test
  void editedImageIsRestored(KubernetesClient client, TestNamespace ns) {
    try (var operator = start(client, ns)) {
      createAndAwaitReady(client, "web");

      client
          .apps()
          .deployments()
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\","
                  + " \"value\": \"evil:1\"}]");

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          deployment(client)
                              .getSpec()
                              .getTemplate()
                              .getSpec()
                              .getContainers()
                              .get(0)
                              .getImage())
                      .isEqualTo("registry.example.com/demo/web:1.0.0"));
    }
  }

  @Test
  void someoneElsesLabelAndAnnotationAreKept(KubernetesClient client, TestNamespace ns) {
    try (var operator = start(client, ns)) {
      createAndAwaitReady(client, "web");

      client
          .apps()
          .deployments()
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\": {\"labels\": {\"team\": \"payments\"},"
                  + " \"annotations\": {\"example.com/note\": \"mine\"}}}");
      // A change Freshet must undo, so we know it has reconciled since the label was added.
      client.apps().deployments().withName("web").scale(4);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(deployment(client).getSpec().getReplicas()).isEqualTo(2));
      var kept = deployment(client).getMetadata();
      assertThat(kept.getLabels()).containsEntry("team", "payments");
      assertThat(kept.getAnnotations()).containsEntry("example.com/note", "mine");
    }
  }

  @Test
  void convergedAppIsNotWrittenAgain(KubernetesClient client, TestNamespace ns) {
    try (var operator = start(client, ns)) {
      createAndAwaitReady(client, "web");
      String deploymentVersion = deployment(client).getMetadata().getResourceVersion();
      String serviceVersion =
          client.services().withName("web").get().getMetadata().getResourceVersion();
      App appBefore = currentApp(client);
      String appVersion = appBefore.getMetadata().getResourceVersion();
      long reconcilesBefore = operator.reconciles();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> operator.reconciles() >= reconcilesBefore + 3);

      assertThat(deployment(client).getMetadata().getResourceVersion())
          .isEqualTo(deploymentVersion);
      assertThat(client.services().withName("web").get().getMetadata().getResourceVersion())
          .isEqualTo(serviceVersion);
      App appAfter = currentApp(client);
      assertThat(appAfter.getMetadata().getResourceVersion())
          .as(
              "the App was written again: status before %s, after %s",
              io.fabric8.kubernetes.client.utils.Serialization.asJson(appBefore.getStatus()),
              io.fabric8.kubernetes.client.utils.Serialization.asJson(appAfter.getStatus()))
          .isEqualTo(appVersion);
    }
  }

  private static RunningOperator start(KubernetesClient client, TestNamespace ns) {
    return RunningOperator.start(client, ns.name(), RESYNC, Optional.empty());
  }

  private static void createAndAwaitReady(KubernetesClient client, String name) {
    client.resource(dev.freshet.it.Apps.app(name)).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              App app = client.resources(App.class).withName(name).get();
              return app.getStatus() != null
                  && app.getStatus().getConditions().stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
  }

  private static Deployment deployment(KubernetesClient client) {
    return client.apps().deployments().withName("web").get();
  }

  private static App currentApp(KubernetesClient client) {
    return client.resources(App.class).withName("web").get();
  }
}
