package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.policy;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patterns that backtrack catastrophically in java.util.regex, against a long tag, do not take the
 * poll workers from other Apps: an unrelated App still rolls to a new digest within its interval.
 * There are eight such Apps and the test's poller has four workers, so with a backtracking engine
 * every worker would be pinned and the unrelated App never checked.
 */
@WithTestbed
class CatastrophicPatternIT {
  private static final Logger log = LoggerFactory.getLogger(CatastrophicPatternIT.class);
  private static final Duration INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);

  @Test
  void eightCatastrophicPatternsLeaveAnUnrelatedAppUpdating(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    // Many a's and no match at the end: (.*a){n} tries every way to split them before failing.
    String longTag = "a".repeat(60) + "-x";
    PushedImage slow = registry.pusher().push("apps/slow-" + ns.name(), longTag);
    PushedImage first = registry.pusher().push("apps/fresh-" + ns.name(), "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      for (int i = 0; i < 8; i++) {
        UpdateSpec update = policy(UpdateSpec.Policy.PATTERN);
        update.setPattern("^(?<v>(.*a){" + (12 + i) + "})$");
        client.resource(app("slow-" + i, slow.reference(), update)).create();
      }
      client.resource(app("fresh", first.reference(), policy(UpdateSpec.Policy.DIGEST))).create();
      await()
          .atMost(INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "fresh", first));

      PushedImage second = registry.pusher().push("apps/fresh-" + ns.name(), "dev");
      long pushed = System.nanoTime();

      await()
          .atMost(INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "fresh", second));
      log.info(
          "with eight catastrophic patterns, the unrelated App ran the pushed digest after {} ms",
          Duration.ofNanos(System.nanoTime() - pushed).toMillis());
    }
  }
}
