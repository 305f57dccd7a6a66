package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.PendingStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.WindowSpec;
import dev.freshet.cli.Main;
import dev.freshet.it.Apps;
import dev.freshet.it.RunningOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.poll.Poller;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * When an App's updates happen: a newer digest waits in {@code status.image.pending} for a person's
 * approval, for a maintenance window, or until it is old enough, and the wait lives in the API
 * server, so it outlasts the operator that started it. Real registry, poll interval 10 s.
 */
@WithTestbed
class WaitsIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);

  @Test
  void aManualUpdateWaitsThroughALeaderChangeUntilFreshetApproveReleasesIt(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "apps/approve-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repo, "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    update.setApproval(UpdateSpec.Approval.Manual);
    var one = RunningOperator.start(client, ns.name(), Duration.ofMinutes(10), lease(ns, "one"));
    var two = RunningOperator.start(client, ns.name(), Duration.ofMinutes(10), lease(ns, "two"));
    try {
      client.resource(app("web", first.reference(), update)).create();
      // The first pin of the tag is what the App already asked for: it does not wait.
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));

      PushedImage second = testbed.registry().pusher().push(repo, "dev");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertPending(client, "web", second, "Approval"));
      assertThat(upToDate(client, "web").getReason()).isEqualTo("AwaitingApproval");
      String since = status(client, "web").getImage().getPending().getSince();
      assertThat(image(client, "web")).isEqualTo(first.pinnedReference());

      RunningOperator leader = one.reconciles() > 0 ? one : two;
      RunningOperator follower = leader == one ? two : one;
      leader.stop();
      // The new leader reconciles the App and hears the registry (one interval) and still waits.
      await().atMost(Duration.ofSeconds(20)).until(() -> follower.reconciles() >= 2);
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertPending(client, "web", second, "Approval");
                assertThat(status(client, "web").getImage().getPending().getSince())
                    .isEqualTo(since);
                assertThat(image(client, "web")).isEqualTo(first.pinnedReference());
              });

      var out = new StringWriter();
      int exit =
          new CommandLine(new Main())
              .setOut(new PrintWriter(out))
              .execute(
                  "approve",
                  "web",
                  "-n",
                  ns.name(),
                  "--kubeconfig",
                  testbed.kubeconfig().toString());
      assertThat(exit).isZero();
      assertThat(out.toString())
          .contains("app/web in namespace")
          .contains("approved " + second.digest());

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", second));
      assertThat(status(client, "web").getImage().getPending()).isNull();
      // One Waiting Event for the one pending digest, though two operators reconciled it.
      assertThat(events(client, "Waiting"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMessage())
                    .startsWith("AwaitingApproval: ")
                    .contains(second.digest());
                assertThat(e.getCount()).isEqualTo(1);
              });
    } finally {
      one.close();
      two.close();
    }
  }

  @Test
  void aClosedWindowHoldsTheUpdateUntilTheAppNamesAWindowThatIsOpen(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "apps/window-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repo, "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    // Open one minute a year, on the first of January at midnight in Paris.
    update.setWindows(List.of(window("0 0 1 1 *", "1m", "Europe/Paris")));
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", first.reference(), update)).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));

      PushedImage second = testbed.registry().pusher().push(repo, "dev");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertPending(client, "web", second, "Window"));
      PendingStatus pending = status(client, "web").getImage().getPending();
      Instant next = Instant.parse(pending.getNextWindow());
      assertThat(next.atZone(java.time.ZoneId.of("Europe/Paris")))
          .satisfies(
              at -> {
                assertThat(at.getMonthValue()).isEqualTo(1);
                assertThat(at.getDayOfMonth()).isEqualTo(1);
                assertThat(at.getHour()).isZero();
              });
      assertThat(upToDate(client, "web").getReason()).isEqualTo("AwaitingWindow");
      assertThat(image(client, "web")).isEqualTo(first.pinnedReference());

      Apps.patchSpec(
          client,
          "web",
          Map.of("update", Map.of("windows", List.of(window("* * * * *", "1m", "UTC")))));

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", second));
      assertThat(status(client, "web").getImage().getPending()).isNull();
    }
  }

  /**
   * The poll interval is an hour and the new digest is announced once, as a webhook would: the
   * rollout after the minimum age can only come from the reconcile the wait scheduled for itself.
   */
  @Test
  void aYoungDigestRollsOnlyOnceItWasSeenForTheMinimumAgeWithoutAnotherPoll(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    String repo = "apps/age-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repo, "dev");
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    update.setMinAge("15s");
    Poller poller = RunningOperator.testbedPoller();
    try (var operator = RunningOperator.start(client, ns.name(), poller)) {
      client.resource(app("web", first.reference(), update)).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));

      PushedImage second = testbed.registry().pusher().push(repo, "dev");
      assertThat(poller.recheck(second.registry(), second.repository(), Optional.of("dev")))
          .isEqualTo(1);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertPending(client, "web", second, "Maturity"));
      PendingStatus pending = status(client, "web").getImage().getPending();
      Instant since = Instant.parse(pending.getSince());
      assertThat(Instant.parse(pending.getMatureAt())).isEqualTo(since.plusSeconds(15));
      assertThat(upToDate(client, "web").getReason()).isEqualTo("AwaitingMaturity");

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", second));
      HistoryEntry rollout = status(client, "web").getHistory().get(0);
      assertThat(rollout.getToDigest()).isEqualTo(second.digest());
      assertThat(Instant.parse(rollout.getStartedAt())).isAfterOrEqualTo(since.plusSeconds(15));
    }
  }

  private static void assertPending(
      KubernetesClient client, String name, PushedImage image, String waitingFor) {
    var status = status(client, name);
    assertThat(status).isNotNull();
    assertThat(status.getImage()).isNotNull();
    PendingStatus pending = status.getImage().getPending();
    assertThat(pending).as("status.image.pending").isNotNull();
    assertThat(pending.getDigest()).isEqualTo(image.digest());
    assertThat(pending.getTag()).isEqualTo(image.tag());
    assertThat(pending.getWaitingFor()).isEqualTo(waitingFor);
    assertThat(pending.getSince()).isNotNull();
  }

  private static WindowSpec window(String schedule, String duration, String zone) {
    var window = new WindowSpec();
    window.setSchedule(schedule);
    window.setDuration(duration);
    window.setTimeZone(zone);
    return window;
  }

  private static List<Event> events(KubernetesClient client, String reason) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** Short timings so the test is quick; the lease lives in the test's namespace. */
  private static Optional<OperatorSettings.LeaderElection> lease(
      TestNamespace ns, String identity) {
    return Optional.of(
        new OperatorSettings.LeaderElection(
            "freshet-operator",
            ns.name(),
            identity,
            Duration.ofSeconds(6),
            Duration.ofSeconds(4),
            Duration.ofSeconds(1),
            false));
  }
}
