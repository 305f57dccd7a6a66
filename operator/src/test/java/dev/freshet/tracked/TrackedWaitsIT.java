package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.cli.Main;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A tracked Deployment with {@code freshet.dev/approval: manual} keeps its image until a person
 * approves the digest that waits in {@code status.freshet.dev/pending}; the approval names that
 * digest, so a newer one found later waits again. Real registry, poll interval 10 s.
 */
@WithTestbed
class TrackedWaitsIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);

  @Test
  void aManualDeploymentRollsOnlyTheDigestApprovedWithFreshetApprove(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "tracked/approve-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repo, "dev");
    Deployment web = Workloads.deployment("web", first.reference(), 2);
    web.getMetadata()
        .setAnnotations(
            Map.of(
                "freshet.dev/policy", "digest",
                "freshet.dev/interval", "10s",
                "freshet.dev/approval", "manual"));
    client.resource(web).create();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertThat(image(client)).isEqualTo(first.pinnedReference()));

      PushedImage second = testbed.registry().pusher().push(repo, "dev");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(TrackedStatus.pendingDigests(annotations(client)))
                      .containsExactly(second.digest()));
      assertThat(annotations(client))
          .containsEntry(TrackedStatus.UP_TO_DATE, "False")
          .hasEntrySatisfying(
              TrackedStatus.MESSAGE, m -> assertThat(m).startsWith("AwaitingApproval: "))
          .hasEntrySatisfying(
              TrackedStatus.PENDING, p -> assertThat(p).contains("\"waitingFor\":\"Approval\""));
      assertThat(image(client)).isEqualTo(first.pinnedReference());

      var out = new StringWriter();
      int exit =
          new CommandLine(new Main())
              .setOut(new PrintWriter(out))
              .execute(
                  "approve",
                  "deploy/web",
                  "-n",
                  ns.name(),
                  "--kubeconfig",
                  testbed.kubeconfig().toString());
      assertThat(exit).isZero();
      assertThat(out.toString())
          .contains("deploy/web in namespace")
          .contains("approved " + second.digest());

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(image(client)).isEqualTo(second.pinnedReference());
                assertThat(annotations(client)).doesNotContainKey(TrackedStatus.PENDING);
              });

      // The approval named the second digest: the third waits again.
      PushedImage third = testbed.registry().pusher().push(repo, "dev");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(TrackedStatus.pendingDigests(annotations(client)))
                      .containsExactly(third.digest()));
      assertThat(image(client)).isEqualTo(second.pinnedReference());
      assertThat(events(client, "Waiting"))
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1))
          .anySatisfy(e -> assertThat(e.getMessage()).contains(second.digest()))
          .anySatisfy(e -> assertThat(e.getMessage()).contains(third.digest()));
    }
  }

  @Test
  void aClosedWindowHoldsAnUpdateUntilAPersonOverridesItForThatDigestOnly(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "tracked/override-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repo, "dev");
    Deployment web = Workloads.deployment("web", first.reference(), 2);
    web.getMetadata()
        .setAnnotations(
            Map.of(
                "freshet.dev/policy", "digest",
                "freshet.dev/interval", "10s",
                // Open one minute a year.
                "freshet.dev/windows", "[{schedule: \"0 0 1 1 *\", duration: 1m}]"));
    client.resource(web).create();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertThat(image(client)).isEqualTo(first.pinnedReference()));

      PushedImage second = testbed.registry().pusher().push(repo, "dev");
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(TrackedStatus.pendingDigests(annotations(client)))
                    .containsExactly(second.digest());
                assertThat(annotations(client))
                    .hasEntrySatisfying(
                        TrackedStatus.MESSAGE, m -> assertThat(m).contains("AwaitingWindow"));
              });
      assertThat(image(client)).isEqualTo(first.pinnedReference());

      // A merge patch of the one annotation, as a person's kubectl annotate sends it: no resource
      // version, so the operator's and the controller's writes meanwhile cannot make it a 409.
      client
          .apps()
          .deployments()
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"freshet.dev/window-override\":\""
                  + second.digest()
                  + "\"}}}");
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertThat(image(client)).isEqualTo(second.pinnedReference()));

      // The override named one digest: the next one waits for the window again.
      PushedImage third = testbed.registry().pusher().push(repo, "dev");
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(TrackedStatus.pendingDigests(annotations(client)))
                      .containsExactly(third.digest()));
      assertThat(image(client)).isEqualTo(second.pinnedReference());
    }
  }

  @Test
  void anInvalidWindowAnnotationIsReportedAndNothingRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    PushedImage first = testbed.registry().pusher().push("tracked/window-" + ns.name(), "dev");
    Deployment web = Workloads.deployment("web", first.reference(), 1);
    web.getMetadata()
        .setAnnotations(
            Map.of(
                "freshet.dev/policy", "digest",
                "freshet.dev/interval", "10s",
                "freshet.dev/windows", "[{schedule: \"0 25 * * *\", duration: 2h}]"));
    client.resource(web).create();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(events(client, "InvalidAnnotation"))
                    .anySatisfy(
                        e ->
                            assertThat(e.getMessage())
                                .startsWith("freshet.dev/windows[0]: schedule \"0 25 * * *\""));
                // The Event comes first, the status annotations right after it.
                assertThat(annotations(client))
                    .containsEntry(TrackedStatus.UP_TO_DATE, "False")
                    .hasEntrySatisfying(
                        TrackedStatus.MESSAGE,
                        m -> assertThat(m).contains("five-field cron expression"));
              });
      assertThat(image(client)).isEqualTo(first.reference());
    }
  }

  private static String image(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .withName("web")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  private static Map<String, String> annotations(KubernetesClient client) {
    return client.apps().deployments().withName("web").get().getMetadata().getAnnotations();
  }

  private static List<Event> events(KubernetesClient client, String reason) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
