package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.NeverReady;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The health gate for tracked workloads of every kind that rolls out, under the {@code digest}
 * policy: the broken release has the same tag as the good one, and only its digest (made never
 * Ready by a run-time kwok Stage, {@link NeverReady}) tells it apart. A rollout that does not
 * complete within its deadline goes back to the last good digest, every pod Ready again, the bad
 * digest is quarantined in {@code status.freshet.dev/quarantined}, and the next good push rolls out
 * as usual.
 */
@WithTestbed
class TrackedRollbackIT {
  private static final Map<String, String> FOLLOW_DEV =
      Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s");

  @Test
  void aDeploymentPastItsProgressDeadlineGoesBackToTheLastGoodDigest(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "tracked/gate-deploy-" + ns.name();
    PushedImage good = testbed.registry().pusher().push(repo, "dev");
    Deployment web = Workloads.deployment("web", good.reference(), 2);
    web.getMetadata().setAnnotations(FOLLOW_DEV);
    web.getSpec().setProgressDeadlineSeconds(10);
    client.resource(web).create();
    rollsBackAndThenForward(testbed, client, repo, "Deployment", "web", good, 2);
  }

  @Test
  void aStatefulSetThatDoesNotFinishWithinFreshetsDeadlineGoesBackAndItsStuckPodIsReplaced(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "tracked/gate-sts-" + ns.name();
    PushedImage good = testbed.registry().pusher().push(repo, "dev");
    Deployment template = Workloads.deployment("db", good.reference(), 2);
    var db =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("db")
            .addToAnnotations(FOLLOW_DEV)
            .addToAnnotations("freshet.dev/progress-deadline", "10s")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withServiceName("db")
            .withPodManagementPolicy("OrderedReady")
            .withSelector(template.getSpec().getSelector())
            .withTemplate(template.getSpec().getTemplate())
            .endSpec()
            .build();
    client.resource(db).create();
    rollsBackAndThenForward(testbed, client, repo, "StatefulSet", "db", good, 2);
  }

  @Test
  void aDaemonSetThatDoesNotFinishWithinFreshetsDeadlineGoesBack(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "tracked/gate-ds-" + ns.name();
    PushedImage good = testbed.registry().pusher().push(repo, "dev");
    Deployment template = Workloads.deployment("agent", good.reference(), 1);
    var agent =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("agent")
            .addToAnnotations(FOLLOW_DEV)
            .addToAnnotations("freshet.dev/progress-deadline", "10s")
            .endMetadata()
            .withNewSpec()
            .withSelector(template.getSpec().getSelector())
            .withTemplate(template.getSpec().getTemplate())
            .endSpec()
            .build();
    client.resource(agent).create();
    int nodes = client.nodes().list().getItems().size();
    rollsBackAndThenForward(testbed, client, repo, "DaemonSet", "agent", good, nodes);
  }

  private static void rollsBackAndThenForward(
      Testbed testbed,
      KubernetesClient client,
      String repo,
      String kind,
      String name,
      PushedImage good,
      int replicas) {
    Registry registry = testbed.registry();
    try (var freshet = new TrackedOperator(testbed, client.getNamespace())) {
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> allReadyOn(client, kind, name, good, replicas));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(annotations(client, kind, name))
                      .containsEntry("status.freshet.dev/last-good", "app=" + pin(good)));

      PushedImage bad = registry.pusher().push(repo, "dev");
      long pushed = System.nanoTime();
      try (var broken = NeverReady.digest(client, bad.digest())) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(image(client, kind, name)).isEqualTo(bad.pinnedReference()));
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(annotations(client, kind, name))
                      .containsEntry("status.freshet.dev/quarantined", "app=" + bad.digest());
                  assertThat(image(client, kind, name)).isEqualTo(good.pinnedReference());
                  assertThat(client.v1().events().list().getItems())
                      .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolledBack"));
                });
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> allReadyOn(client, kind, name, good, replicas));
        System.out.printf(
            "%s: broken push to all pods Ready on the last good digest again in %d s%n",
            kind, Duration.ofNanos(System.nanoTime() - pushed).toSeconds());
        // Further checks find the bad digest again (the tag still names it) and leave it alone.
        await()
            .during(Duration.ofSeconds(12))
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> assertThat(image(client, kind, name)).isEqualTo(good.pinnedReference()));
      }

      PushedImage fixed = registry.pusher().push(repo, "dev");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> allReadyOn(client, kind, name, fixed, replicas));
    }
  }

  static void allReadyOn(
      KubernetesClient client, String kind, String name, PushedImage image, int replicas) {
    assertThat(image(client, kind, name)).isEqualTo(image.pinnedReference());
    List<Pod> pods =
        client.pods().withLabel("app", name).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    assertThat(pods).hasSize(replicas);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getContainers().get(0).getImage())
                  .isEqualTo(image.pinnedReference());
              assertThat(p.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
  }

  static String pin(PushedImage image) {
    return image.tag() + "@" + image.digest();
  }

  static HasMetadata workload(KubernetesClient client, String kind, String name) {
    return switch (kind) {
      case "Deployment" -> client.apps().deployments().withName(name).get();
      case "StatefulSet" -> client.apps().statefulSets().withName(name).get();
      case "DaemonSet" -> client.apps().daemonSets().withName(name).get();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static Map<String, String> annotations(KubernetesClient client, String kind, String name) {
    return workload(client, kind, name).getMetadata().getAnnotations();
  }

  static String image(KubernetesClient client, String kind, String name) {
    HasMetadata workload = workload(client, kind, name);
    var template =
        workload instanceof Deployment d
            ? d.getSpec().getTemplate()
            : workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s
                ? s.getSpec().getTemplate()
                : ((io.fabric8.kubernetes.api.model.apps.DaemonSet) workload)
                    .getSpec()
                    .getTemplate();
    return template.getSpec().getContainers().get(0).getImage();
  }
}
