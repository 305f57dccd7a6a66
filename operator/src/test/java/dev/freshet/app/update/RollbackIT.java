package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rollout that does not become available in time is rolled back to the last good digest, the bad
 * digest is never pinned again, and a newer image is rolled out as usual. The testbed's kwok nodes
 * keep any pod whose image reference contains "crash" from ever becoming Ready.
 */
@WithTestbed
class RollbackIT {

  @Test
  void aRolloutThatNeverBecomesAvailableIsRolledBackAndItsDigestNotRetried(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/rollback-" + ns.name();
    PushedImage good = registry.pusher().push(repo, "1");
    UpdateSpec update = policy(UpdateSpec.Policy.PATTERN);
    update.setPattern("^(?<build>[0-9]+)(-crash)?$");
    update.setOrder(UpdateSpec.Order.NUMERIC);
    update.setProgressDeadlineSeconds(5);
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", good.reference(), update)).create();
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertRunning(client, "web", good));

      PushedImage bad = registry.pusher().push(repo, "2-crash");

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(status(client, "web").getImage().getQuarantinedDigests())
                    .containsExactly(bad.digest());
                assertThat(image(client, "web")).isEqualTo(good.pinnedReference());
                assertThat(upToDate(client, "web").getReason()).isEqualTo("RolledBack");
                assertThat(status(client, "web").getHistory().get(0).getOutcome())
                    .isEqualTo("RolledBack");
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolledBack"));
              });
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> {
                var deployment = client.apps().deployments().withName("web").get();
                assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(2);
                assertThat(status(client, "web").getImage().getRunningDigest())
                    .isEqualTo(good.digest());
                assertThat(client.pods().withLabel("freshet.dev/app", "web").list().getItems())
                    .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .allSatisfy(
                        p ->
                            assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                                .endsWith("@" + good.digest()));
              });
      // Further checks find the bad digest again and leave it alone.
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(good.pinnedReference()));

      PushedImage fixed = registry.pusher().push(repo, "3");

      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertRunning(client, "web", fixed));
    }
  }
}
