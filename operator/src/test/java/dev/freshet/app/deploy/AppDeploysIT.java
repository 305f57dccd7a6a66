package dev.freshet.app.deploy;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.Workload;
import dev.freshet.it.Kubectl;
import dev.freshet.it.PersistentVolumes;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An App becomes a running workload with the declared replicas and a Service in front of it. */
@WithTestbed
class AppDeploysIT {

  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @Test
  void deploymentAppRunsItsReplicasBehindAService(
      KubernetesClient client, TestNamespace ns, Testbed testbed) throws Exception {
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web")).create();

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                Deployment deployment = client.apps().deployments().withName("web").get();
                assertThat(deployment).isNotNull();
                assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
                assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(2);
                assertThat(readyCondition(client, "web")).isEqualTo("True");
              });

      var service = client.services().withName("web").get();
      assertThat(service.getSpec().getPorts())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPort()).isEqualTo(80);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
              });
      var selected = client.pods().withLabels(service.getSpec().getSelector()).list().getItems();
      assertThat(selected).hasSize(2);
      assertThat(service.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("App"));

      assertThat(Kubectl.run("get", "apps.freshet.dev", "-n", ns.name()))
          .contains("IMAGE", "READY", "UP-TO-DATE", "STATUS", "FRESH", "AGE")
          .containsPattern(
              "web\\s+\\S+\\s+registry.example.com/demo/web:1.0.0\\s+Ready\\s+\\S+\\s+2/2\\s+2");
    }
  }

  @Test
  void statefulSetAppRunsItsReplicasWithClaims(KubernetesClient client, TestNamespace ns) {
    try (var volumes = new PersistentVolumes(client);
        var operator = RunningOperator.start(client, ns.name())) {
      volumes.reserveFor(ns.name(), "data-db-0", "1Gi");
      volumes.reserveFor(ns.name(), "data-db-1", "1Gi");
      App app = app("db");
      app.getSpec().setWorkload(Workload.StatefulSet);
      app.getSpec()
          .setVolumeClaimTemplates(
              List.of(
                  new PersistentVolumeClaimBuilder()
                      .withNewMetadata()
                      .withName("data")
                      .endMetadata()
                      .withNewSpec()
                      .withAccessModes("ReadWriteOnce")
                      .withNewResources()
                      .addToRequests("storage", new Quantity("1Gi"))
                      .endResources()
                      .endSpec()
                      .build()));
      client.resource(app).create();

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                StatefulSet statefulSet = client.apps().statefulSets().withName("db").get();
                assertThat(statefulSet).isNotNull();
                assertThat(statefulSet.getSpec().getVolumeClaimTemplates())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("data");
                assertThat(statefulSet.getStatus().getReadyReplicas()).isEqualTo(2);
                assertThat(readyCondition(client, "db")).isEqualTo("True");
              });
      assertThat(client.apps().deployments().withName("db").get()).isNull();
      assertThat(client.services().withName("db").get()).isNotNull();
    }
  }

  @Test
  void changedImageRollsOutAndIsReportedAsARollout(KubernetesClient client, TestNamespace ns) {
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web")).create();
      await().atMost(CONVERGE).until(() -> "True".equals(readyCondition(client, "web")));

      // A merge patch carries no resourceVersion, so it cannot race the operator's status writes.
      client
          .resources(App.class)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\": {\"image\": \"registry.example.com/demo/web:2.0.0\"}}");

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                App app = client.resources(App.class).withName("web").get();
                assertThat(app.getStatus().getObservedGeneration())
                    .isEqualTo(app.getMetadata().getGeneration());
                assertThat(app.getStatus().getImage().getTag()).isEqualTo("2.0.0");
                assertThat(readyCondition(client, "web")).isEqualTo("True");
                var pods = client.pods().withLabel("freshet.dev/app", "web").list().getItems();
                assertThat(pods)
                    .hasSize(2)
                    .allSatisfy(
                        p ->
                            assertThat(p.getSpec().getContainers().get(0).getImage())
                                .isEqualTo("registry.example.com/demo/web:2.0.0"));
              });
      // Told once, as the rollout it is, not also as an update to the declared state.
      // Events are written by the recorder's own thread, a moment after the status: no Updated
      // Event may follow while one would have been written.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(12))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().list().getItems())
                      .anyMatch(
                          e ->
                              "RollingOut".equals(e.getReason())
                                  && e.getMessage()
                                      .equals("rolling to registry.example.com/demo/web:2.0.0"))
                      .noneMatch(
                          e ->
                              "Updated".equals(e.getReason())
                                  && e.getMessage().startsWith("Deployment web")));
    }
  }

  @Test
  void serviceTypeNoneRemovesTheService(KubernetesClient client, TestNamespace ns) {
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web")).create();
      await().atMost(CONVERGE).until(() -> client.services().withName("web").get() != null);

      client
          .resources(App.class)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\": {\"service\": {\"type\": \"None\"}}}");

      await().atMost(CONVERGE).until(() -> client.services().withName("web").get() == null);
      assertThat(client.apps().deployments().withName("web").get()).isNotNull();
    }
  }

  static String readyCondition(KubernetesClient client, String name) {
    App app = client.resources(App.class).withName(name).get();
    if (app == null || app.getStatus() == null) {
      return null;
    }
    return app.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }
}
