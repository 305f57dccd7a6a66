package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.AppReconciler;
import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.AppImageRecord;
import dev.freshet.it.RunningOperator;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An operator that dies right after it pinned a new digest into the workload, before it recorded
 * the rollout's outcome, resumes that rollout when it starts again: the digest the workload names
 * is a floor, so the template never goes back to the digest the App's status still calls the
 * latest, and the new digest is rolled out once.
 */
@WithTestbed
class InterruptedRolloutIT {

  /** Long enough for start-up reconciles, the first registry check and a retry or two to settle. */
  private static final Duration WATCHED_AT_LEAST = Duration.ofSeconds(15);

  @Test
  void aRestartAfterTheWorkloadWasPatchedNeverRollsBackToTheOlderDigest(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repository = "apps/interrupted-" + ns.name();
    PushedImage d0 = registry.pusher().push(repository, "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    // Only the checks at start-up matter; no poll comes in between.
    update.setInterval("1h");
    var operator = RunningOperator.start(client, ns.name());
    try {
      client.resource(app("web", d0.reference(), update)).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertRunning(client, "web", d0));
    } finally {
      operator.stop();
    }

    PushedImage d1 = registry.pusher().push(repository, "dev");
    pinAsTheOperatorDoes(client, "web", d1.pinnedReference());

    try (var templates = TemplateRecorder.start(client, ns.name());
        var restarted = RunningOperator.start(client, ns.name())) {
      Instant started = Instant.now();
      await("App web up to date on " + d1.digest() + ", watched for at least " + WATCHED_AT_LEAST)
          .failFast(
              "the template left " + d1.pinnedReference(),
              () ->
                  assertThat(templates.images("Deployment/web"))
                      .as("every image the template named since the restart")
                      .containsExactly(d1.pinnedReference()))
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  Duration.between(started, Instant.now()).compareTo(WATCHED_AT_LEAST) >= 0
                      && isUpToDateOn(client, "web", d1));

      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images("Deployment/web"))
          .as("every image the template named since the restart")
          .containsExactly(d1.pinnedReference());
      assertRunning(client, "web", d1);
      assertThat(AppImageRecord.of(client, "web").pinnedDigest()).isEqualTo(d1.digest());
    }
  }

  /**
   * Applies the live Deployment with {@code image} in its template, server-side and forced, under
   * the operator's own field manager: the write the operator makes to start a rollout. The whole
   * spec is applied, because fields the manager stops applying would be removed.
   */
  static void pinAsTheOperatorDoes(KubernetesClient client, String name, String image) {
    Deployment live = client.apps().deployments().withName(name).get();
    Deployment applied =
        new DeploymentBuilder()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withLabels(live.getMetadata().getLabels())
                    .withOwnerReferences(live.getMetadata().getOwnerReferences())
                    .build())
            .withSpec(live.getSpec())
            .editSpec()
            .editTemplate()
            .editSpec()
            .editFirstContainer()
            .withImage(image)
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client
        .resource(applied)
        .fieldManager(AppReconciler.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
    assertThat(AppUpdatesIT.image(client, name)).isEqualTo(image);
  }

  /** Whether the App says it runs {@code image}, the newest its policy allows. */
  static boolean isUpToDateOn(KubernetesClient client, String name, PushedImage image) {
    App app = client.resources(App.class).withName(name).get();
    return app.getStatus() != null
        && app.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("UpToDate") && c.getStatus().equals("True"))
        && image.digest().equals(AppImageRecord.of(client, name).runningDigest());
  }
}
