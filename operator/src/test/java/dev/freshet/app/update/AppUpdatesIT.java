package dev.freshet.app.update;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.it.RunningOperator;
import dev.freshet.it.WriteCounter;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An App follows its registry: the digest behind its tag, or the newest tag its semver or pattern
 * policy allows, is pinned into the workload's pod template, and Kubernetes' own rolling update
 * takes the pods there. The registry is the testbed's real one; the poll interval is 10 s.
 */
@WithTestbed
class AppUpdatesIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);

  @Test
  void aNewDigestBehindTheTagIsPinnedAndRolledOut(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    PushedImage first = registry.pusher().push("apps/digest-" + ns.name(), "dev");
    var writes = new WriteCounter();
    try (var operatorClient = writes.clientIn(testbed, ns.name());
        var operator = RunningOperator.start(operatorClient, ns.name())) {
      client.resource(app("web", first.reference(), policy(UpdateSpec.Policy.DIGEST))).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));
      var beforeRollout = writes.counts();

      PushedImage second = registry.pusher().push("apps/digest-" + ns.name(), "dev");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", second));
      var rolloutWrites = writes.since(beforeRollout);
      System.out.println("writes for one App's rollout: " + rolloutWrites);
      // One write of the template; the status follows the rollout, and the Events tell it.
      assertThat(rolloutWrites).containsEntry("PATCH deployments", 1);
      AppStatus status = status(client, "web");
      assertThat(status.getHistory())
          .hasSize(2)
          .first()
          .satisfies(
              entry -> {
                assertThat(entry.getFromDigest()).isEqualTo(first.digest());
                assertThat(entry.getToDigest()).isEqualTo(second.digest());
                assertThat(entry.getOutcome()).isEqualTo("Succeeded");
              });
      // One Event per rollout: a reconcile that repeats after the patch records nothing again.
      // Events are written by the recorder's own thread, a moment after the status: the count must
      // stay 1 while a repeat would have been written.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(12))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().list().getItems())
                      .filteredOn(e -> e.getReason().equals("RollingOut"))
                      .anySatisfy(e -> assertThat(e.getMessage()).endsWith(second.digest()))
                      .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1)));
    }
  }

  @Test
  void aSemverRangeTakesThePatchReleaseAndNeverTheNextMajor(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/semver-" + ns.name();
    PushedImage current = registry.pusher().push(repo, "1.4.2");
    UpdateSpec update = policy(UpdateSpec.Policy.SEMVER);
    update.setSemver("~1.4");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("api", current.reference(), update)).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "api", current));

      PushedImage patch = registry.pusher().push(repo, "1.4.3");
      registry.pusher().push(repo, "2.0.0");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "api", patch));
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(image(client, "api")).contains(":1.4.3@").doesNotContain("2.0.0"));
    }
  }

  @Test
  void preReleasesAreTakenOnlyWhenTheAppOptsIn(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/prerelease-" + ns.name();
    PushedImage release = registry.pusher().push(repo, "1.4.2");
    UpdateSpec stable = policy(UpdateSpec.Policy.SEMVER);
    stable.setSemver("^1");
    UpdateSpec early = policy(UpdateSpec.Policy.SEMVER);
    early.setSemver("^1");
    early.setIncludePrerelease(true);
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("stable", release.reference(), stable)).create();
      client.resource(app("early", release.reference(), early)).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertRunning(client, "stable", release);
                assertRunning(client, "early", release);
              });

      PushedImage candidate = registry.pusher().push(repo, "1.5.0-rc.1");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "early", candidate));
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(image(client, "stable")).contains(":1.4.2@"));
    }
  }

  @Test
  void aPatternPolicyTakesTheNewestBuildByNumber(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/pattern-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "main-99");
    UpdateSpec update = policy(UpdateSpec.Policy.PATTERN);
    update.setPattern("^main-(?<ts>[0-9]+)$");
    update.setOrder(UpdateSpec.Order.NUMERIC);
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", first.reference(), update)).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));

      PushedImage newest = registry.pusher().push(repo, "main-1000");
      registry.pusher().push(repo, "main-200");
      registry.pusher().push(repo, "feature-5000");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", newest));
    }
  }

  @Test
  void aMultiArchImageIsPinnedToItsIndexDigest(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    PushedImage image =
        testbed
            .registry()
            .pusher()
            .pushMultiArch("apps/multi-" + ns.name(), "dev", "linux/amd64", "linux/arm64");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", image.reference(), policy(UpdateSpec.Policy.DIGEST))).create();

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", image));
      assertThat(image(client, "web")).doesNotContain(image.platformDigests().get("linux/amd64"));
    }
  }

  @Test
  void aPrivateRegistryNeedsAPullSecretAndWithoutOneNothingChanges(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.authRegistry();
    PushedImage image = registry.pusher().push("apps/private-" + ns.name(), "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", image.reference(), policy(UpdateSpec.Policy.DIGEST))).create();

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(upToDate(client, "web"))
                      .satisfies(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("RegistryUnauthorized");
                          }));
      assertThat(image(client, "web")).isEqualTo(image.reference());

      client.secrets().resource(registry.pullSecret("pull")).create();
      Apps.patchSpec(
          client, "web", Map.of("imagePullSecrets", List.of(new LocalObjectReference("pull"))));

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", image));
    }
  }

  static App app(String name, String image, UpdateSpec update) {
    App app = Apps.app(name);
    app.getSpec().setImage(image);
    app.getSpec().setUpdate(update);
    return app;
  }

  static UpdateSpec policy(UpdateSpec.Policy policy) {
    var update = new UpdateSpec();
    update.setPolicy(policy);
    update.setInterval("10s");
    return update;
  }

  /**
   * The template pins the image, the rollout is done, the pods report it, and the status says so.
   */
  static void assertRunning(KubernetesClient client, String name, PushedImage image) {
    String pinned = image.pinnedReference();
    Deployment deployment = client.apps().deployments().withName(name).get();
    assertThat(deployment).as("Deployment %s", name).isNotNull();
    assertThat(deployment.getStatus()).isNotNull();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(pinned);
    assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(deployment.getStatus().getReplicas()).isEqualTo(2);
    List<Pod> pods =
        client.pods().withLabel("freshet.dev/app", name).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                    .endsWith("@" + image.digest()));
    AppStatus status = status(client, name);
    assertThat(status).isNotNull();
    assertThat(status.getImage()).isNotNull();
    assertThat(status.getImage().getLatestDigest()).isEqualTo(image.digest());
    assertThat(status.getImage().getRunningDigest()).isEqualTo(image.digest());
    assertThat(status.getImage().getTag()).isEqualTo(image.tag());
    assertThat(status.getImage().getCheckedAt()).isNotNull();
    assertThat(upToDate(client, name).getStatus()).isEqualTo("True");
  }

  static String image(KubernetesClient client, String name) {
    return client
        .apps()
        .deployments()
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  static AppStatus status(KubernetesClient client, String name) {
    return client.resources(App.class).withName(name).get().getStatus();
  }

  static Condition upToDate(KubernetesClient client, String name) {
    AppStatus status = status(client, name);
    assertThat(status).as("status of App %s", name).isNotNull();
    assertThat(status.getConditions()).isNotNull();
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("UpToDate"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no UpToDate condition"));
  }
}
