package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.pipeline.DeploymentImages;
import dev.freshet.pipeline.FreshetWithWebhooks;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A push notified before anything watches its image (as when the operator is still starting and has
 * not reconciled its Apps) is kept, and applied when the App that runs it appears: nothing is
 * dropped as concerning no image.
 */
@WithTestbed
class EarlyHintIT {
  private static final String HMAC = "early-hint-secret";

  @Test
  void aNotifyBeforeItsAppExistsIsKeptThenAppliedToTheAppsWatch(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    String repository = "early/app-" + ns.name();

    try (var freshet = FreshetWithWebhooks.start(client, ns.name(), Map.of("hmac", HMAC))) {
      freshet.listen(new InetSocketAddress("127.0.0.1", 0), "/hooks/generic", hint -> {});
      PushedImage pushed = testbed.registry().pusher().push(repository, "dev");
      var delivered =
          new NotifyClient()
              .notify(
                  freshet.url("/hooks/generic"),
                  Secret.of(HMAC),
                  pushed.reference(),
                  Optional.of(pushed.digest()));
      assertThat(delivered.status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(5)).until(() -> hints(freshet.meters(), "kept") == 1);
      assertThat(hints(freshet.meters(), "applied")).isZero();

      client.resource(app(pushed.reference())).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pushed.pinnedReference().equals(DeploymentImages.image(client, "demo")));
      await().atMost(Duration.ofSeconds(5)).until(() -> hints(freshet.meters(), "applied") == 1);
      assertThat(hints(freshet.meters(), "expired")).isZero();
    }
  }

  private static double hints(MeterRegistry meters, String outcome) {
    var counter =
        meters
            .find("freshet_webhook_hints_total")
            .tag("source", "generic")
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static App app(String image) {
    App app = Apps.app("demo");
    app.getSpec().setImage(image);
    app.getSpec().setReplicas(1);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }
}
