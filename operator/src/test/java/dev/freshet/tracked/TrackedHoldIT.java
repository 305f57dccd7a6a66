package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.FreshetCli;
import dev.freshet.it.Kubectl;
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
 * A person's undo is respected: a {@code kubectl rollout undo} of a tracked Deployment makes
 * Freshet hold it, say so and roll nothing, whatever is pushed, until {@code freshet resume}; then
 * the newest digest rolls out. {@code freshet hold} holds a workload on purpose. The CLI runs in
 * this JVM against the testbed, as a person would run it.
 */
@WithTestbed
class TrackedHoldIT {

  @Test
  void aRolloutUndoByHandIsHeldUntilResumedAndThenTheNewestDigestRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "tracked/hold-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "dev");
    Deployment web = Workloads.deployment("web", first.reference(), 2);
    web.getMetadata()
        .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s"));
    client.resource(web).create();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> TrackedRollbackIT.allReadyOn(client, "Deployment", "web", first, 2));
      PushedImage second = registry.pusher().push(repo, "dev");
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> TrackedRollbackIT.allReadyOn(client, "Deployment", "web", second, 2));

      Kubectl.run("-n", ns.name(), "rollout", "undo", "deployment/web");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(annotations(client))
                    .hasEntrySatisfying(
                        "status.freshet.dev/held",
                        // The undo put back the annotations of first's time along with its
                        // template: the image field's manager (kubectl) is what tells.
                        why -> assertThat(why).contains(first.digest(), "kubectl"))
                    .containsEntry("status.freshet.dev/up-to-date", "False");
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Held"));
              });
      PushedImage third = registry.pusher().push(repo, "dev");
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(25))
          .untilAsserted(() -> assertThat(image(client)).isEqualTo(first.pinnedReference()));

      assertThat(FreshetCli.run(testbed, "resume", "deploy/web", "-n", ns.name()).exit()).isZero();

      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> {
                TrackedRollbackIT.allReadyOn(client, "Deployment", "web", third, 2);
                assertThat(annotations(client))
                    .doesNotContainKeys(
                        "status.freshet.dev/held", "freshet.dev/resume", "freshet.dev/hold");
              });

      assertThat(FreshetCli.run(testbed, "hold", "deploy/web", "-n", ns.name()).exit()).isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(annotations(client)).containsKey("status.freshet.dev/held"));
      registry.pusher().push(repo, "dev");
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(25))
          .untilAsserted(() -> assertThat(image(client)).isEqualTo(third.pinnedReference()));
    }
  }

  @Test
  void theCliRefusesANameOfAKindFreshetDoesNotFollow(Testbed testbed, TestNamespace ns) {
    assertThat(FreshetCli.run(testbed, "hold", "svc/report", "-n", ns.name()).exit()).isEqualTo(2);
    assertThat(FreshetCli.run(testbed, "resume", "deploy/missing", "-n", ns.name()).exit())
        .isEqualTo(1);
  }

  private static Map<String, String> annotations(KubernetesClient client) {
    return client.apps().deployments().withName("web").get().getMetadata().getAnnotations();
  }

  private static String image(KubernetesClient client) {
    return TrackedRollbackIT.image(client, "Deployment", "web");
  }
}
