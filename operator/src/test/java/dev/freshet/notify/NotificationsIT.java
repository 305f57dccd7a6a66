package dev.freshet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.it.NeverReady;
import dev.freshet.it.RunningOperator;
import dev.freshet.notify.NotificationServer.Received;
import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Notifications from a real operator on the testbed: a push that rolls an App and a tracked
 * Deployment is heard at a team's webhook as found, started, succeeded, in order, signed; an object
 * annotated {@code freshet.dev/notify: "false"} is not heard of; and a webhook that never answers
 * does not slow a rollout.
 */
@WithTestbed
class NotificationsIT {
  private static final String SECRET = "notify-it-secret";
  private static final Duration ROLLOUT = Duration.ofSeconds(60);

  @Test
  void aPushIsHeardAsFoundStartedSucceededInOrderExceptWhereOptedOut(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "notify/heard-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "dev");
    var meters = new SimpleMeterRegistry();
    var notifier = new Notifier(meters, Clock.systemUTC());
    Poller poller = RunningOperator.testbedPoller();
    try (var server = new NotificationServer();
        var secret = configure(client, ns, notifier, meters, server);
        var operator = RunningOperator.start(client, ns.name(), poller, notifier)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> notifier.targets().contains("generic"));
      client.resource(app("web", first.reference(), Map.of())).create();
      client.resource(app("quiet", first.reference(), Map.of(Notifier.OPT_OUT, "false"))).create();
      Deployment tracked = Workloads.deployment("tracked", first.reference(), 2);
      tracked
          .getMetadata()
          .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s"));
      client.resource(tracked).create();
      Deployment quietTracked = Workloads.deployment("quiet-tracked", first.reference(), 2);
      quietTracked
          .getMetadata()
          .setAnnotations(
              Map.of(
                  "freshet.dev/policy",
                  "digest",
                  "freshet.dev/interval",
                  "10s",
                  Notifier.OPT_OUT,
                  "false"));
      client.resource(quietTracked).create();
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                for (String name : List.of("web", "quiet", "tracked", "quiet-tracked")) {
                  assertRolledOut(client, name, first);
                }
              });

      PushedImage second = registry.pusher().push(repo, "dev");
      // As a registry webhook would: no need to wait for the next poll.
      assertThat(poller.recheck(second.registry(), second.repository(), Optional.of("dev")))
          .isPositive();

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                for (String name : List.of("web", "tracked")) {
                  assertThat(kinds(server, name, second))
                      .as("notifications of %s", name)
                      .containsExactly("found", "started", "succeeded");
                }
              });
      // The opted-out App rolls on its own schedule: its surge pod may still be there.
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertRolledOut(client, "quiet", second);
                assertRolledOut(client, "quiet-tracked", second);
              });
      assertThat(of(server, "quiet")).isEmpty();
      assertThat(of(server, "quiet-tracked")).isEmpty();

      var verifier =
          new GenericSignature.Verifier(
              Secret.of(SECRET),
              Clock.systemUTC(),
              GenericSignature.REPLAY_WINDOW,
              new SeenCache(Clock.systemUTC(), Duration.ofMinutes(10), 1000));
      for (Received received : server.received()) {
        assertThatCode(() -> verifier.verify(received.inbound())).doesNotThrowAnyException();
      }
      for (String name : List.of("web", "tracked")) {
        List<JsonNode> heard = of(server, name);
        // Numbered 1, 2, 3… per object in one stream: nothing was lost on the way.
        for (int i = 0; i < heard.size(); i++) {
          assertThat(heard.get(i).get("sequence").asLong()).isEqualTo(i + 1);
          assertThat(heard.get(i).get("stream").asText())
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")
              .isEqualTo(heard.get(0).get("stream").asText());
        }
        JsonNode succeeded = heard.get(heard.size() - 1);
        assertThat(succeeded.get("kind").asText()).isEqualTo("succeeded");
        assertThat(succeeded.get("container").asText()).isEqualTo("app");
        assertThat(succeeded.get("image").asText()).isEqualTo(first.reference());
        assertThat(succeeded.get("tag").asText()).isEqualTo("dev");
        assertThat(succeeded.get("fromDigest").asText()).isEqualTo(first.digest());
        assertThat(succeeded.get("toDigest").asText()).isEqualTo(second.digest());
        assertThat(succeeded.get("cluster").asText()).isEqualTo("testbed");
      }
      assertThat(of(server, "web").get(0).get("object").get("kind").asText()).isEqualTo("App");
      assertThat(of(server, "tracked").get(0).get("object").get("kind").asText())
          .isEqualTo("Deployment");
    } finally {
      notifier.close();
    }
  }

  @Test
  void aReleaseThatFailsItsHealthGateIsHeardAsRolledBack(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "notify/rolled-back-" + ns.name();
    PushedImage good = registry.pusher().push(repo, "dev");
    var meters = new SimpleMeterRegistry();
    var notifier = new Notifier(meters, Clock.systemUTC());
    Poller poller = RunningOperator.testbedPoller();
    try (var server = new NotificationServer();
        var secret = configure(client, ns, notifier, meters, server);
        var operator = RunningOperator.start(client, ns.name(), poller, notifier)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> notifier.targets().contains("generic"));
      App web = app("web", good.reference(), Map.of());
      web.getSpec().getUpdate().setProgressDeadlineSeconds(5);
      client.resource(web).create();
      await().atMost(ROLLOUT).untilAsserted(() -> assertRolledOut(client, "web", good));

      PushedImage bad = registry.pusher().push(repo, "dev");
      try (var broken = NeverReady.digest(client, bad.digest())) {
        assertThat(poller.recheck(bad.registry(), bad.repository(), Optional.of("dev")))
            .isPositive();
        await()
            .atMost(ROLLOUT)
            .untilAsserted(
                () ->
                    assertThat(of(server, "web"))
                        .anySatisfy(
                            n -> {
                              assertThat(n.get("kind").asText()).isEqualTo("rolled-back");
                              assertThat(n.get("fromDigest").asText()).isEqualTo(bad.digest());
                              assertThat(n.get("toDigest").asText()).isEqualTo(good.digest());
                              assertThat(n.get("message").asText()).contains("quarantined");
                            }));
      }
      // Heard once, after the rollout it ends.
      assertThat(of(server, "web").stream().map(n -> n.get("kind").asText()).toList())
          .containsSubsequence("found", "started", "rolled-back")
          .filteredOn("rolled-back"::equals)
          .hasSize(1);
    } finally {
      notifier.close();
    }
  }

  @Test
  void aWebhookThatNeverAnswersDoesNotSlowARollout(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "notify/hanging-" + ns.name();
    PushedImage image = registry.pusher().push(repo, "dev");
    var meters = new SimpleMeterRegistry();
    var notifier = new Notifier(meters, Clock.systemUTC());
    Poller poller = RunningOperator.testbedPoller();
    try (var server = new NotificationServer().hanging();
        var operator = RunningOperator.start(client, ns.name(), poller, notifier)) {
      client.resource(app("web", image.reference(), Map.of())).create();
      await().atMost(ROLLOUT).untilAsserted(() -> assertRolledOut(client, "web", image));

      List<Duration> without = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        without.add(rollout(client, registry, poller, repo));
      }
      try (var secret = configure(client, ns, notifier, meters, server)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.targets().contains("generic"));
        List<Duration> with = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          with.add(rollout(client, registry, poller, repo));
        }
        System.out.printf(
            "push to rollout done, no notifier: %s; notifier that never answers: %s%n",
            without, with);
        assertThat(server.hung()).as("the notifier was really called and hung").isPositive();
        Duration slowestWithout = without.stream().max(Duration::compareTo).orElseThrow();
        Duration medianWith = with.stream().sorted().toList().get(1);
        // Rollouts on a shared 2-core testbed vary by a second or two; a notifier that held the
        // reconcile would add its 10 s request timeout to each.
        assertThat(medianWith).isLessThan(slowestWithout.plusSeconds(3));
      }
    } finally {
      notifier.close();
    }
  }

  /** Pushes a new image, asks for a check at once, and times the rollout until done. */
  private static Duration rollout(
      KubernetesClient client, Registry registry, Poller poller, String repo) {
    PushedImage next = registry.pusher().push(repo, "dev");
    long started = System.nanoTime();
    assertThat(poller.recheck(next.registry(), next.repository(), Optional.of("dev"))).isPositive();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertRolledOut(client, "web", next));
    return Duration.ofMillis((System.nanoTime() - started) / 1_000_000);
  }

  private static NotificationsSecret configure(
      KubernetesClient client,
      TestNamespace ns,
      Notifier notifier,
      SimpleMeterRegistry meters,
      NotificationServer server) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(Notifier.SECRET_NAME)
                .endMetadata()
                .addToStringData("generic.url", server.url().toString())
                .addToStringData("generic.secret", SECRET)
                .addToStringData("cluster", "testbed")
                .build())
        .create();
    return NotificationsSecret.start(
        client,
        ns.name(),
        notifier,
        new EventRecorder(client, "freshet", Clock.systemUTC()),
        meters);
  }

  private static App app(String name, String image, Map<String, String> annotations) {
    App app = Apps.app(name);
    app.getMetadata().setAnnotations(annotations);
    app.getSpec().setImage(image);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("10s");
    app.getSpec().setUpdate(update);
    return app;
  }

  /** The workload named {@code name} pins {@code image} and every replica runs it, ready. */
  private static void assertRolledOut(KubernetesClient client, String name, PushedImage image) {
    Deployment deployment = client.apps().deployments().withName(name).get();
    assertThat(deployment).as("Deployment %s", name).isNotNull();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(image.pinnedReference());
    var status = deployment.getStatus();
    assertThat(status).isNotNull();
    assertThat(status.getObservedGeneration()).isEqualTo(deployment.getMetadata().getGeneration());
    assertThat(status.getUpdatedReplicas()).isEqualTo(2);
    assertThat(status.getAvailableReplicas()).isEqualTo(2);
    assertThat(status.getReplicas()).isEqualTo(2);
  }

  private static List<JsonNode> of(NotificationServer server, String name) {
    return server.received().stream()
        .map(Received::json)
        .filter(n -> n.get("object").get("name").asText().equals(name))
        .toList();
  }

  private static List<String> kinds(NotificationServer server, String name, PushedImage image) {
    return of(server, name).stream()
        .filter(n -> image.digest().equals(n.get("toDigest").asText()))
        .map(n -> n.get("kind").asText())
        .toList();
  }
}
