package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.it.NeverReady;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An App's StatefulSet is health-gated against the App's progress deadline, which Freshet keeps
 * itself (a StatefulSet has none). Under the {@code digest} policy the broken release has the same
 * tag; a run-time kwok Stage ({@link NeverReady}) keeps its digest from ever becoming Ready. With
 * the default {@code OrderedReady} pod management the stuck pod blocks the StatefulSet's own
 * rollback, so Freshet deletes it after pinning back.
 */
@WithTestbed
class StatefulSetRollbackIT {

  @Test
  void aStatefulSetRolloutThatNeverBecomesReadyGoesBackAndItsStuckPodIsReplaced(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/sts-rollback-" + ns.name();
    PushedImage good = registry.pusher().push(repo, "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    update.setProgressDeadlineSeconds(10);
    App db = app("db", good.reference(), update);
    db.getSpec().setWorkload(Workload.StatefulSet);
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(db).create();
      await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> allReadyOn(client, good));

      PushedImage bad = registry.pusher().push(repo, "dev");
      try (var broken = NeverReady.digest(client, bad.digest())) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(image(client)).isEqualTo(bad.pinnedReference()));
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(status(client, "db").getImage().getQuarantinedDigests())
                      .containsExactly(bad.digest());
                  assertThat(image(client)).isEqualTo(good.pinnedReference());
                  assertThat(upToDate(client, "db").getReason()).isEqualTo("RolledBack");
                  assertThat(client.v1().events().list().getItems())
                      .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolledBack"));
                });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> allReadyOn(client, good));
      }

      PushedImage fixed = registry.pusher().push(repo, "dev");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> allReadyOn(client, fixed));
    }
  }

  private static void allReadyOn(KubernetesClient client, PushedImage image) {
    var statefulSet = client.apps().statefulSets().withName("db").get();
    assertThat(statefulSet).as("StatefulSet db").isNotNull();
    assertThat(statefulSet.getStatus()).isNotNull();
    assertThat(image(client)).isEqualTo(image.pinnedReference());
    assertThat(statefulSet.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(statefulSet.getStatus().getCurrentRevision())
        .isEqualTo(statefulSet.getStatus().getUpdateRevision());
    List<Pod> pods =
        client.pods().withLabel("freshet.dev/app", "db").list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    assertThat(pods)
        .hasSize(2)
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

  private static String image(KubernetesClient client) {
    return client
        .apps()
        .statefulSets()
        .withName("db")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }
}
