package dev.freshet.operator;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Of two operators sharing a Lease only the leader reconciles; when it dies the other takes over.
 */
@WithTestbed
class LeaderElectionIT {

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOver(KubernetesClient client, TestNamespace ns) {
    var first =
        RunningOperator.start(client, ns.name(), Duration.ofMinutes(10), lease(ns, "first"));
    var second =
        RunningOperator.start(client, ns.name(), Duration.ofMinutes(10), lease(ns, "second"));
    try {
      client.resource(app("one")).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> isReady(client, "one"));

      RunningOperator leader = first.reconciles() > 0 ? first : second;
      RunningOperator follower = leader == first ? second : first;
      assertThat(follower.reconciles()).isZero();
      assertThat(client.leases().withName("freshet-operator").get().getSpec().getHolderIdentity())
          .isEqualTo(leader == first ? "first" : "second");

      leader.stop();
      client.resource(app("two")).create();

      await().atMost(Duration.ofSeconds(15)).until(() -> isReady(client, "two"));
      assertThat(follower.reconciles()).isPositive();
    } finally {
      first.close();
      second.close();
    }
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

  private static boolean isReady(KubernetesClient client, String name) {
    App app = client.resources(App.class).withName(name).get();
    return app != null
        && app.getStatus() != null
        && app.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
