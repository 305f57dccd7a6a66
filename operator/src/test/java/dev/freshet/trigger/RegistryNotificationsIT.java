package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.pipeline.DeploymentImages;
import dev.freshet.pipeline.FreshetWithWebhooks;
import dev.freshet.receive.ImageHint;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A push to the registry alone redeploys: the testbed's registry sends its push notification to
 * Freshet's distribution receiver, which re-checks the tag at once, and the App is pinned to the
 * pushed digest within a second. No pipeline step runs, and the App's poll interval is an hour.
 */
@WithTestbed
class RegistryNotificationsIT {

  @Test
  void aPushToTheRegistryRollsTheAppToThePushedDigestWithinASecond(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    String repository = "registry-notify/app-" + ns.name();
    PushedImage first = testbed.registry().pusher().push(repository, "dev");
    Set<String> hinted = ConcurrentHashMap.newKeySet();

    try (var freshet =
        FreshetWithWebhooks.start(
            client, ns.name(), Map.of("distribution", "Bearer " + testbed.registryNotifyToken()))) {
      client.resource(app(first.reference())).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> first.pinnedReference().equals(DeploymentImages.image(client, "web")));
      PushedImage second;
      DeploymentImages.Seen seen;
      Instant pushed;
      try {
        listenWhereTheRegistriesNotify(testbed, freshet, hint -> hinted.add(hint.repository()));
        // While nobody listened the registry kept its notifications and now delivers them in order;
        // once a fresh probe's arrives, the backlog is through and ours will not wait behind it.
        String probe = "registry-notify/probe-" + ns.name();
        testbed.registry().pusher().push(probe, "dev");
        await("the registry's backlog of notifications")
            .atMost(Duration.ofSeconds(60))
            .until(() -> hinted.contains(probe));

        var patched = DeploymentImages.whenChangedFrom(client, "web", first.pinnedReference());
        second = testbed.registry().pusher().push(repository, "dev");
        pushed = Instant.now();
        seen = patched.get(30, TimeUnit.SECONDS);
      } finally {
        // The port is shared with other modules' tests, which wait for it.
        freshet.stopListening();
      }

      assertThat(seen.image()).isEqualTo(second.pinnedReference());
      Duration latency = Duration.between(pushed, seen.at());
      System.out.printf(
          "registry push returned -> Deployment patched to %s: %d ms%n",
          second.digest(), latency.toMillis());
      assertThat(latency).isLessThan(Duration.ofSeconds(1));
      assertThat(hinted).contains(repository);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                App app = client.resources(App.class).withName("web").get();
                assertThat(app.getStatus().getImage().getRunningDigest())
                    .isEqualTo(second.digest());
                assertThat(app.getStatus().getHistory().get(0).getOutcome()).isEqualTo("Succeeded");
              });
    }
  }

  /**
   * Binds the endpoint at the registries' notification URL, waiting while another test holds it.
   */
  private static void listenWhereTheRegistriesNotify(
      Testbed testbed,
      FreshetWithWebhooks freshet,
      java.util.function.Consumer<ImageHint> observer) {
    URI url = URI.create(testbed.registryNotifyUrl());
    await("the notify port " + url.getPort() + " to be free")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              try {
                freshet.listen(
                    new InetSocketAddress(url.getHost(), url.getPort()), url.getPath(), observer);
                return true;
              } catch (BindException e) {
                return false;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static App app(String image) {
    App app = Apps.app("web");
    app.getSpec().setImage(image);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }
}
