package dev.freshet.trigger;

import static org.awaitility.Awaitility.await;

import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Receivers told another Secret's name (--webhook-secret, the chart's receivers.secretName) take
 * their secrets from that Secret, and a Secret under the default name enables nothing.
 */
@WithTestbed
class WebhookSecretNameIT {

  @Test
  void receiversReadTheSecretTheyAreToldAndNoOther(KubernetesClient client, TestNamespace ns)
      throws Exception {
    client.secrets().resource(hmacSecret(WebhookEndpoint.SECRET_NAME)).create();
    Clock clock = Clock.systemUTC();
    var meters = new SimpleMeterRegistry();
    try (var poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 1);
        var endpoint =
            WebhookEndpoint.start(
                client,
                ns.name(),
                "ci-webhooks",
                new InetSocketAddress("127.0.0.1", 0),
                new HintDispatcher(poller, meters),
                meters,
                clock)) {
      // The Secret under the default name is there from the start and stays unread.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !endpoint.isEnabled("/hooks/generic"));

      client.secrets().resource(hmacSecret("ci-webhooks")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.isEnabled("/hooks/generic"));
    }
  }

  private static io.fabric8.kubernetes.api.model.Secret hmacSecret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToData(
            "hmac", Base64.getEncoder().encodeToString("pipeline".getBytes(StandardCharsets.UTF_8)))
        .build();
  }
}
