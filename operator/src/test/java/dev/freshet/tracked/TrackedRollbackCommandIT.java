package dev.freshet.tracked;

import static dev.freshet.tracked.TrackedRollbackIT.allReadyOn;
import static dev.freshet.tracked.TrackedRollbackIT.annotations;
import static dev.freshet.tracked.TrackedRollbackIT.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.FreshetCli;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code freshet rollback deploy/NAME} and {@code freshet unquarantine} on a tracked Deployment:
 * the same verbs as for Apps, carried out through the quarantine annotation.
 */
@WithTestbed
class TrackedRollbackCommandIT {
  private static final Duration ROLLOUT = Duration.ofSeconds(40);

  @Test
  void aPersonsRollbackOfATrackedDeploymentQuarantinesWhatItLeftUntilReleased(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "tracked/rollback-cli-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "dev");
    Deployment web = Workloads.deployment("web", first.reference(), 2);
    web.getMetadata()
        .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s"));
    client.resource(web).create();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(() -> allReadyOn(client, "Deployment", "web", first, 2));
      PushedImage second = registry.pusher().push(repo, "dev");
      await()
          .atMost(ROLLOUT)
          .untilAsserted(() -> allReadyOn(client, "Deployment", "web", second, 2));

      FreshetCli rollback = FreshetCli.run(testbed, "rollback", "deploy/web", "-n", ns.name());
      assertThat(rollback.exit()).as(rollback.err()).isZero();
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                allReadyOn(client, "Deployment", "web", first, 2);
                assertThat(annotations(client, "Deployment", "web"))
                    .containsEntry(
                        "status.freshet.dev/quarantined",
                        web.getSpec().getTemplate().getSpec().getContainers().get(0).getName()
                            + "="
                            + second.digest())
                    .doesNotContainKey("freshet.dev/rollback")
                    .doesNotContainKey("status.freshet.dev/held");
              });
      await()
          .during(Duration.ofSeconds(22))
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(image(client, "Deployment", "web"))
                      .isEqualTo(first.pinnedReference()));

      FreshetCli release =
          FreshetCli.run(testbed, "unquarantine", "deploy/web", second.digest(), "-n", ns.name());
      assertThat(release.exit()).as(release.err()).isZero();
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                allReadyOn(client, "Deployment", "web", second, 2);
                assertThat(annotations(client, "Deployment", "web"))
                    .doesNotContainKeys(
                        "status.freshet.dev/quarantined", "freshet.dev/unquarantine");
              });
      FreshetCli json =
          FreshetCli.run(testbed, "history", "deploy/web", "-o", "json", "-n", ns.name());
      assertThat(json.exit()).isZero();
      assertThat(json.out()).contains(first.digest(), second.digest());
    }
  }
}
