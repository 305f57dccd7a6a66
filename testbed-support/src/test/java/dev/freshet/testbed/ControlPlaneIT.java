package dev.freshet.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The testbed's control plane turns workloads into Ready pods and runs real rolling updates. */
@WithTestbed
class ControlPlaneIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aDeploymentGetsReadyPodsOnKwokNodesThatReportTheirImageId(KubernetesClient client) {
    String image = "127.0.0.1:5000/demo/app@sha256:" + "1".repeat(64);
    client.resource(deployment("web", image, 3)).create();

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(readyPods(client, "web")).hasSize(3));
    for (Pod pod : readyPods(client, "web")) {
      assertThat(
              client
                  .nodes()
                  .withName(pod.getSpec().getNodeName())
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry("kwok.x-k8s.io/node", "fake");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getImageID())
          .isEqualTo("127.0.0.1:5000/demo/app@sha256:" + "1".repeat(64));
    }
  }

  @Test
  void aTemplateChangeRollsOutToANewReplicaSetAndScalesTheOldOneToZero(KubernetesClient client) {
    client.resource(deployment("web", "127.0.0.1:5000/demo/app:v1", 3)).create();
    await()
        .atMost(TIMEOUT)
        .until(() -> available(client.apps().deployments().withName("web").get()) == 3);
    String firstRevision = onlyReplicaSet(client).getMetadata().getName();

    String pinned = "127.0.0.1:5000/demo/app:v2@sha256:" + "2".repeat(64);
    client
        .apps()
        .deployments()
        .withName("web")
        .edit(
            d ->
                new DeploymentBuilder(d)
                    .editSpec()
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage(pinned)
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build());

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Deployment web = client.apps().deployments().withName("web").get();
              assertThat(web.getStatus().getUpdatedReplicas()).isEqualTo(3);
              assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(3);
              assertThat(web.getStatus().getReplicas()).isEqualTo(3);
              ReplicaSet old = client.apps().replicaSets().withName(firstRevision).get();
              assertThat(old.getStatus().getReplicas()).isZero();
              assertThat(readyPods(client, "web"))
                  .extracting(p -> p.getStatus().getContainerStatuses().get(0).getImageID())
                  .containsOnly("127.0.0.1:5000/demo/app@sha256:" + "2".repeat(64));
            });
  }

  @Test
  void deletingADeploymentGarbageCollectsItsPods(KubernetesClient client) {
    client.resource(deployment("web", "127.0.0.1:5000/demo/app:v1", 2)).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(readyPods(client, "web")).hasSize(2));

    client.apps().deployments().withName("web").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.pods().withLabel("app", "web").list().getItems()).isEmpty();
              assertThat(client.apps().replicaSets().withLabel("app", "web").list().getItems())
                  .isEmpty();
            });
  }

  @Test
  void anImageNamedCrashNeverBecomesReadySoItsRolloutStalls(KubernetesClient client) {
    client.resource(deployment("web", "127.0.0.1:5000/demo/app:v1", 2)).create();
    await()
        .atMost(TIMEOUT)
        .until(() -> available(client.apps().deployments().withName("web").get()) == 2);

    client
        .apps()
        .deployments()
        .withName("web")
        .edit(
            d ->
                new DeploymentBuilder(d)
                    .editSpec()
                    .withProgressDeadlineSeconds(5)
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage("127.0.0.1:5000/demo/crash:v2")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build());

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Deployment web = client.apps().deployments().withName("web").get();
              assertThat(web.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Progressing");
                        assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
                      });
              assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(2);
            });
    assertThat(client.pods().withLabel("app", "web").list().getItems())
        .filteredOn(p -> p.getSpec().getContainers().get(0).getImage().contains("crash"))
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isFalse());
  }

  static Deployment deployment(String name, String image, int replicas) {
    return Workloads.deployment(name, image, replicas);
  }

  private static int available(Deployment deployment) {
    Integer available =
        deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas();
    return available == null ? 0 : available;
  }

  private static ReplicaSet onlyReplicaSet(KubernetesClient client) {
    List<ReplicaSet> sets = client.apps().replicaSets().withLabel("app", "web").list().getItems();
    assertThat(sets).hasSize(1);
    return sets.get(0);
  }

  private static List<Pod> readyPods(KubernetesClient client, String app) {
    return client.pods().withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(
            p ->
                p.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .toList();
  }
}
