package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.RunningOperator;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.testbed.OwnRegistry;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A registry that goes away changes nothing in the cluster: the App says the registry is
 * unreachable, and the checks that find it down come further and further apart. When it is back, a
 * push and its webhook are rolled out at once. The outage is real: the registry process is stopped
 * and its port refuses.
 */
@WithTestbed
class RegistryOutageIT {

  @Test
  void anUnreachableRegistryIsReportedChangesNothingAndIsAskedLessAndLessOften(
      TestNamespace ns, KubernetesClient client) {
    try (var registry = OwnRegistry.start()) {
      PushedImage image = registry.registry().pusher().push("outage/web", "dev");
      RegistryResolution real = RunningOperator.testbedResolution();
      List<Instant> checks = new CopyOnWriteArrayList<>();
      var poller =
          new Poller(
              watch -> {
                checks.add(Instant.now());
                return real.resolve(watch);
              },
              Clock.systemUTC(),
              2);
      try (var operator = RunningOperator.start(client, ns.name(), poller)) {
        client.resource(app("web", image.reference(), policy(UpdateSpec.Policy.DIGEST))).create();
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(() -> assertRunning(client, "web", image));

        registry.stop();
        int before = checks.size();

        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(
                () ->
                    assertThat(upToDate(client, "web"))
                        .satisfies(
                            c -> {
                              assertThat(c.getStatus()).isEqualTo("False");
                              assertThat(c.getReason()).isEqualTo("RegistryUnreachable");
                            }));
        assertThat(image(client, "web")).isEqualTo(image.pinnedReference());

        // With a 10 s interval: failures at about t, t+20 s, t+60 s; each gap longer than the last.
        await().atMost(Duration.ofSeconds(90)).until(() -> checks.size() >= before + 3);
        List<Instant> failed = checks.subList(before, before + 3);
        Duration first = Duration.between(failed.get(0), failed.get(1));
        Duration second = Duration.between(failed.get(1), failed.get(2));
        System.out.printf(
            "checks while the registry was down: gaps %d s, %d s%n",
            first.toSeconds(), second.toSeconds());
        assertThat(first).isGreaterThan(Duration.ofSeconds(15));
        assertThat(second).isGreaterThan(first);
        assertThat(image(client, "web")).isEqualTo(image.pinnedReference());

        // Back, with a push and its webhook: the backoff does not delay a check a webhook asks for.
        registry.resume();
        PushedImage next = registry.registry().pusher().push("outage/web", "dev");
        poller.recheck(registry.registry().host(), "outage/web", java.util.Optional.of("dev"));
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(() -> assertRunning(client, "web", next));
      }
    }
  }
}
