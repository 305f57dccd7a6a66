package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.FreshetCli;
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
 * {@code freshet rollback} takes an App back to the digest it ran before and quarantines the one it
 * left, so the registry, which still names it, does not bring it back; {@code freshet unquarantine}
 * lets it roll again, and a newer push rolls as usual. The CLI runs in this JVM against the
 * testbed.
 */
@WithTestbed
class AppRollbackCommandIT {
  private static final Duration ROLLOUT = Duration.ofSeconds(40);

  @Test
  void aPersonsRollbackHoldsUntilReleasedAndANewerPushRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/rollback-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", first.reference(), policy(UpdateSpec.Policy.DIGEST))).create();
      await().atMost(ROLLOUT).untilAsserted(() -> assertRunning(client, "web", first));
      PushedImage second = registry.pusher().push(repo, "dev");
      await().atMost(ROLLOUT).untilAsserted(() -> assertRunning(client, "web", second));

      FreshetCli rollback = FreshetCli.run(testbed, "rollback", "web", "-n", ns.name());
      assertThat(rollback.exit()).as(rollback.err()).isZero();
      assertThat(rollback.out()).contains("rolls back to dev@" + first.digest());
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertOn(client, first);
                assertThat(status(client, "web").getImage().getQuarantinedDigests())
                    .containsExactly(second.digest());
                HistoryEntry newest = status(client, "web").getHistory().get(0);
                assertThat(newest.getCause()).isEqualTo(HistoryEntry.ROLLBACK);
                assertThat(newest.getFromDigest()).isEqualTo(second.digest());
                assertThat(newest.getToDigest()).isEqualTo(first.digest());
                assertThat(annotations(client)).doesNotContainKey("freshet.dev/rollback");
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("RolledBack");
                          assertThat(e.getMessage()).contains("as a person asked");
                        });
              });
      // The registry still names the digest it left: two poll intervals change nothing.
      await()
          .during(Duration.ofSeconds(22))
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(first.pinnedReference()));

      FreshetCli again =
          FreshetCli.run(testbed, "rollback", "web", "--to", first.digest(), "-n", ns.name());
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("already on");
      FreshetCli toQuarantined =
          FreshetCli.run(testbed, "rollback", "web", "--to", second.digest(), "-n", ns.name());
      assertThat(toQuarantined.exit()).isEqualTo(1);
      assertThat(toQuarantined.err()).contains("quarantined", "freshet unquarantine");

      FreshetCli release = FreshetCli.run(testbed, "unquarantine", "web", "-n", ns.name());
      assertThat(release.exit()).as(release.err()).isZero();
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertRunning(client, "web", second);
                assertThat(status(client, "web").getImage().getQuarantinedDigests())
                    .isNullOrEmpty();
                assertThat(annotations(client)).doesNotContainKey("freshet.dev/unquarantine");
              });
      FreshetCli nothing = FreshetCli.run(testbed, "unquarantine", "web", "-n", ns.name());
      assertThat(nothing.exit()).isEqualTo(1);
      assertThat(nothing.err()).contains("no digest is quarantined");

      FreshetCli toFirst =
          FreshetCli.run(testbed, "rollback", "app/web", "--to", first.digest(), "-n", ns.name());
      assertThat(toFirst.exit()).as(toFirst.err()).isZero();
      await().atMost(ROLLOUT).untilAsserted(() -> assertOn(client, first));
      PushedImage third = registry.pusher().push(repo, "dev");
      await().atMost(ROLLOUT).untilAsserted(() -> assertRunning(client, "web", third));
    }
  }

  /**
   * Every replica runs {@code image} and the status says so, while the registry names a newer
   * digest: what a rollback leaves.
   */
  private static void assertOn(KubernetesClient client, PushedImage image) {
    var deployment = client.apps().deployments().withName("web").get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(image.pinnedReference());
    assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(deployment.getStatus().getReplicas()).isEqualTo(2);
    assertThat(status(client, "web").getImage().getRunningDigest()).isEqualTo(image.digest());
  }

  private static java.util.Map<String, String> annotations(KubernetesClient client) {
    var annotations =
        client.resources(App.class).withName("web").get().getMetadata().getAnnotations();
    return annotations == null ? java.util.Map.of() : annotations;
  }
}
