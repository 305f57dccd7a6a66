package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.FreshetCli;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code freshet hold app/NAME} stops an App's updates, visibly ({@code UpToDate=False}, reason
 * {@code Held}, with the image it runs), and {@code freshet resume} rolls out the newest digest.
 * The CLI runs in this JVM against the testbed.
 */
@WithTestbed
class AppHoldIT {

  @Test
  void aHeldAppRollsNothingUntilResumed(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "apps/hold-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", first.reference(), policy(UpdateSpec.Policy.DIGEST))).create();
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertRunning(client, "web", first));

      assertThat(FreshetCli.run(testbed, "hold", "app/web", "-n", ns.name()).exit()).isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(upToDate(client, "web").getReason()).isEqualTo("Held");
                assertThat(upToDate(client, "web").getMessage()).contains(first.digest());
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Held"));
              });
      PushedImage second = registry.pusher().push(repo, "dev");
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(25))
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(first.pinnedReference()));

      assertThat(FreshetCli.run(testbed, "resume", "web", "-n", ns.name()).exit()).isZero();
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> {
                assertRunning(client, "web", second);
                assertThat(
                        client
                            .resources(App.class)
                            .withName("web")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .doesNotContainKeys("freshet.dev/hold", "freshet.dev/resume");
              });
    }
  }
}
