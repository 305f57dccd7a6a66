package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.InterruptedRolloutIT.isUpToDateOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.AppImageRecord;
import dev.freshet.it.Apps;
import dev.freshet.it.ReplicaCeiling;
import dev.freshet.it.RunningOperator;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that fails (here: the API server refuses the App's Deployment) loses nothing the
 * update engine recorded: a quarantined digest stays quarantined and is never pinned again, the
 * workload never falls back to the bare tag, and neither the error nor a restart after it starts a
 * rollout.
 */
@WithTestbed
class QuarantineThroughErrorsIT {
  private static final String DEPLOYMENT = "Deployment/web";
  private static final Duration WATCHED_AT_LEAST = Duration.ofSeconds(15);

  @Test
  void aFailedReconcileKeepsTheQuarantineAndNeverPinsTheQuarantinedDigestAgain(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repository = "apps/quarantine-" + ns.name();
    PushedImage good = registry.pusher().push(repository, "1");
    UpdateSpec update = policy(UpdateSpec.Policy.PATTERN);
    update.setPattern("^(?<build>[0-9]+)(-crash)?$");
    update.setOrder(UpdateSpec.Order.NUMERIC);
    update.setProgressDeadlineSeconds(5);
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", good.reference(), update)).create();
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertRunning(client, "web", good));
      PushedImage bad = registry.pusher().push(repository, "2-crash");
      await("the rollout of " + bad.tag() + " rolled back and its digest quarantined")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(AppImageRecord.of(client, "web").quarantinedDigests())
                    .contains(bad.digest());
                assertThat(AppUpdatesIT.image(client, "web")).isEqualTo(good.pinnedReference());
              });

      try (var templates = TemplateRecorder.start(client, ns.name())) {
        try (var ceiling = ReplicaCeiling.install(testbed.client(), ns.name(), 2)) {
          scale(client, "web", 3);
          awaitReconcileError(client, "web", ceiling);
          assertThat(AppImageRecord.of(client, "web").quarantinedDigests())
              .as("quarantined digests while the App's reconcile fails")
              .contains(bad.digest());
        }

        Instant lifted = Instant.now();
        await("web on 3 replicas of " + good.tag() + ", watched for at least " + WATCHED_AT_LEAST)
            .failFast(
                "the template left " + good.pinnedReference(),
                () ->
                    assertThat(templates.images(DEPLOYMENT))
                        .as("every image the template named since the quarantine")
                        .containsExactly(good.pinnedReference()))
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    Duration.between(lifted, Instant.now()).compareTo(WATCHED_AT_LEAST) >= 0
                        && availableReplicas(client, "web") == 3);

        assertThat(templates.watchFailures()).isEmpty();
        assertThat(templates.images(DEPLOYMENT))
            .as("every image the template named since the quarantine")
            .containsExactly(good.pinnedReference());
        AppImageRecord record = AppImageRecord.of(client, "web");
        assertThat(record.quarantinedDigests()).contains(bad.digest());
        assertThat(record.pinnedDigest()).isEqualTo(good.digest());
        assertThat(record.runningDigest()).isEqualTo(good.digest());
      }
    }
  }

  @Test
  void aFailedReconcileAndARestartCauseNoRollout(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    PushedImage d0 = registry.pusher().push("apps/error-restart-" + ns.name(), "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    var operator = RunningOperator.start(client, ns.name());
    ReplicaCeiling ceiling = null;
    try {
      client.resource(app("web", d0.reference(), update)).create();
      await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertRunning(client, "web", d0));
      ceiling = ReplicaCeiling.install(testbed.client(), ns.name(), 2);
      scale(client, "web", 3);
      awaitReconcileError(client, "web", ceiling);
    } finally {
      // Stopped while the reconcile still fails; the refusal ends while no operator runs.
      operator.stop();
      if (ceiling != null) {
        ceiling.close();
      }
    }

    try (var templates = TemplateRecorder.start(client, ns.name());
        var restarted = RunningOperator.start(client, ns.name())) {
      Instant started = Instant.now();
      await("web on 3 replicas of " + d0.digest() + ", watched for at least " + WATCHED_AT_LEAST)
          .failFast(
              "the template left " + d0.pinnedReference(),
              () ->
                  assertThat(templates.images(DEPLOYMENT))
                      .as("every image the template named since the restart")
                      .containsExactly(d0.pinnedReference()))
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  Duration.between(started, Instant.now()).compareTo(WATCHED_AT_LEAST) >= 0
                      && availableReplicas(client, "web") == 3
                      && isUpToDateOn(client, "web", d0));

      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images(DEPLOYMENT))
          .as("every image the template named since the restart")
          .containsExactly(d0.pinnedReference());
      assertThat(AppImageRecord.of(client, "web").pinnedDigest()).isEqualTo(d0.digest());
    }
  }

  private static void scale(KubernetesClient client, String name, int replicas) {
    Apps.patchSpec(client, name, Map.of("replicas", replicas));
  }

  /** Waits until the App's status reports the API server's refusal of its workload. */
  private static void awaitReconcileError(
      KubernetesClient client, String name, ReplicaCeiling ceiling) {
    await("App " + name + " to report the refusal: " + ceiling.message())
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              App app = client.resources(App.class).withName(name).get();
              return app.getStatus() != null
                  && app.getStatus().getConditions().stream()
                      .anyMatch(
                          c ->
                              c.getMessage() != null && c.getMessage().contains(ceiling.message()));
            });
  }

  private static int availableReplicas(KubernetesClient client, String name) {
    Deployment deployment = client.apps().deployments().withName(name).get();
    Integer available =
        deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas();
    return deployment.getSpec().getReplicas() == 3 && available != null ? available : 0;
  }
}
