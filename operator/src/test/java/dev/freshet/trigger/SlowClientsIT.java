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
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The webhook endpoint under a slow-loris attack: 200 connections trickling their headers and 5
 * trickling a body, a byte a second each, reopened as soon as they are closed. A signed notify
 * still rolls its App within a second, and every slow connection is closed at its deadline.
 */
@WithTestbed
class SlowClientsIT {
  private static final String HMAC = "slow-clients-secret";
  private static final int IN_HEADERS = 200;
  private static final int IN_BODY = 5;

  /**
   * The slow clients open and look for a close on their once-a-second tick, so a close is seen up
   * to a tick late, plus their ticker's and the server's lateness on a loaded two-core machine. A
   * life is timed from the client's connect, the deadline from the server's accept, which lags it
   * when hundreds of connections are reopened at once: a whole batch lived 8.0 s against the 5 s
   * deadline in a full test run on two cores. A connection never cut off lives to the test's end.
   */
  private static final Duration NOTICED_WITHIN = Duration.ofSeconds(5);

  @Test
  void aSignedNotifyRollsItsAppWithinASecondWhile200SlowClientsHoldConnections(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    String repository = "slow/app-" + ns.name();
    PushedImage before = testbed.registry().pusher().push(repository, "dev");

    try (var freshet = FreshetWithWebhooks.start(client, ns.name(), Map.of("hmac", HMAC))) {
      freshet.listen(new InetSocketAddress("127.0.0.1", 0), "/hooks/generic", hint -> {});
      client.resource(app(before.reference())).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> before.pinnedReference().equals(DeploymentImages.image(client, "demo")));
      // As in a running operator, the endpoint has served before the attack: a notify of an image
      // nothing runs, which changes nothing.
      new NotifyClient()
          .notify(
              freshet.url("/hooks/generic"),
              Secret.of(HMAC),
              testbed.registry().host() + "/slow/unwatched:dev",
              Optional.empty());
      PushedImage pushed = testbed.registry().pusher().push(repository, "dev");

      try (var slow = SlowClients.open(freshet.address(), IN_HEADERS, IN_BODY)) {
        // Trickling for a few seconds, all still within their deadlines.
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.ticks() >= 3);

        // Only the notify below may move the App (its poll interval is an hour).
        assertThat(DeploymentImages.image(client, "demo")).isEqualTo(before.pinnedReference());
        var patched = DeploymentImages.whenPinned(client, "demo", pushed.pinnedReference());
        Instant sent = Instant.now();
        new NotifyClient()
            .notify(
                freshet.url("/hooks/generic"),
                Secret.of(HMAC),
                pushed.reference(),
                Optional.of(pushed.digest()));
        Instant at = patched.get(30, TimeUnit.SECONDS);

        Duration latency = Duration.between(sent, at);
        System.out.printf(
            "notify -> App's Deployment patched beside %d slow connections: %d ms%n",
            IN_HEADERS + IN_BODY, latency.toMillis());
        assertThat(latency).isLessThan(Duration.ofSeconds(1));

        // Each kind of slow connection was cut off at its deadline, and reopened by the attacker.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    slow.headerTricklerLives().size() >= IN_HEADERS
                        && slow.bodyTricklerLives().size() >= IN_BODY);
        List<Duration> headerLives = slow.headerTricklerLives();
        List<Duration> bodyLives = slow.bodyTricklerLives();
        System.out.printf(
            "connections trickling headers closed after %d-%d ms; trickling a body after %d-%d ms,"
                + " answered %s%n",
            Collections.min(headerLives).toMillis(),
            Collections.max(headerLives).toMillis(),
            Collections.min(bodyLives).toMillis(),
            Collections.max(bodyLives).toMillis(),
            slow.bodyTricklerAnswers().get(0));
        assertThat(headerLives)
            .allSatisfy(
                lived ->
                    assertThat(lived)
                        .isBetween(
                            ReceiverServer.DEFAULT_HEADER_TIMEOUT.minusMillis(100),
                            ReceiverServer.DEFAULT_HEADER_TIMEOUT.plus(NOTICED_WITHIN)));
        assertThat(bodyLives)
            .allSatisfy(
                lived ->
                    assertThat(lived)
                        .isBetween(
                            ReceiverServer.DEFAULT_BODY_TIMEOUT.minusMillis(100),
                            ReceiverServer.DEFAULT_BODY_TIMEOUT.plus(NOTICED_WITHIN)));
        assertThat(slow.bodyTricklerAnswers())
            .allSatisfy(status -> assertThat(status).startsWith("HTTP/1.1 408"));
      }
    }
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
