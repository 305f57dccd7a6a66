package dev.freshet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.notify.NotificationServer.Answer;
import dev.freshet.notify.NotificationServer.Received;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.ImageChange;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications reach a real HTTP server on loopback: each once, in order, signed as Freshet's own
 * receiver checks; retried with growing pauses on 5xx and 429, never on another 4xx; and a target
 * that never answers costs the caller nothing but dropped, counted notifications.
 */
class DeliveryTest {
  private static final String SECRET = "s3cret-shared-with-the-team";
  private static final Delivery.Limits QUICK =
      new Delivery.Limits(
          1000,
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 4, Duration.ofSeconds(3)));

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HasMetadata web = Events.deployment("web", Map.of());
  private Notifier notifier;
  private NotificationServer server;

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(NotificationServer target, Delivery.Limits limits, String... extra) {
    server = target;
    notifier = new Notifier(meters, Clock.systemUTC(), limits);
    var data =
        new java.util.HashMap<>(
            Map.of(
                "generic.url",
                server.url().toString(),
                "generic.secret",
                SECRET,
                "cluster",
                "prod"));
    for (int i = 0; i < extra.length; i += 2) {
      data.put(extra[i], extra[i + 1]);
    }
    NotificationSettings settings = NotificationSettings.parse(data);
    assertThat(settings.problems()).isEmpty();
    notifier.configure(settings);
  }

  private static ImageChange change(String to) {
    return ImageChange.of(
        "app", "127.0.0.1:5000/web:dev", "dev", Optional.of("sha256:" + "a".repeat(64)), to);
  }

  @Test
  void eachNotificationArrivesOnceInOrderWithItsFieldsAndAValidSignature() {
    start(new NotificationServer(), QUICK);
    String to = "sha256:" + "b".repeat(64);
    notifier.recorded(web, EventReason.UpdateFound, "found", change(to));
    notifier.recorded(web, EventReason.Created, "not news for a team", ImageChange.NONE);
    notifier.recorded(web, EventReason.RollingOut, "rolling", change(to));
    notifier.recorded(web, EventReason.RolledOut, "done", change(to));
    notifier.recorded(
        Events.deployment("quiet", Map.of(Notifier.OPT_OUT, "false")),
        EventReason.RollingOut,
        "opted out",
        change(to));

    await().atMost(Duration.ofSeconds(5)).until(() -> server.received().size() >= 3);
    await().during(Duration.ofMillis(300)).until(() -> server.received().size() == 3);
    List<Received> received = server.received();
    assertThat(received)
        .extracting(r -> r.json().get("kind").asText())
        .containsExactly("found", "started", "succeeded");
    assertThat(received)
        .extracting(r -> r.json().get("sequence").asLong())
        .containsExactly(1L, 2L, 3L);
    var first = received.get(0).json();
    assertThat(first.get("object").get("kind").asText()).isEqualTo("Deployment");
    assertThat(first.get("object").get("namespace").asText()).isEqualTo("team-a");
    assertThat(first.get("object").get("name").asText()).isEqualTo("web");
    assertThat(first.get("container").asText()).isEqualTo("app");
    assertThat(first.get("image").asText()).isEqualTo("127.0.0.1:5000/web:dev");
    assertThat(first.get("tag").asText()).isEqualTo("dev");
    assertThat(first.get("fromDigest").asText()).isEqualTo("sha256:" + "a".repeat(64));
    assertThat(first.get("toDigest").asText()).isEqualTo(to);
    assertThat(first.get("reason").asText()).isEqualTo("UpdateFound");
    assertThat(first.get("message").asText()).isEqualTo("found");
    assertThat(first.get("cluster").asText()).isEqualTo("prod");
    assertThat(java.time.Instant.parse(first.get("time").asText())).isNotNull();
    // Freshet's own receiver accepts every one: the same scheme both ways.
    var verifier =
        new GenericSignature.Verifier(
            Secret.of(SECRET),
            Clock.systemUTC(),
            GenericSignature.REPLAY_WINDOW,
            new SeenCache(Clock.systemUTC(), Duration.ofMinutes(10), 100));
    for (Received r : received) {
      org.assertj.core.api.Assertions.assertThatCode(() -> verifier.verify(r.inbound()))
          .doesNotThrowAnyException();
    }
    assertThat(sent("delivered")).isEqualTo(3);
  }

  @Test
  void aTargetThatFailsTwiceGetsTheNotificationOnceWithGrowingPauses() {
    start(new NotificationServer().answering(new Answer(500, null), new Answer(503, null)), QUICK);
    notifier.recorded(web, EventReason.RollingOut, "rolling", change("sha256:" + "c".repeat(64)));

    await().atMost(Duration.ofSeconds(10)).until(() -> sent("delivered") == 1);
    List<Received> received = server.received();
    assertThat(received).hasSize(3);
    // The same notification each time, signed anew.
    assertThat(received).extracting(r -> new String(r.body())).containsOnly(body(received.get(0)));
    assertThat(received)
        .extracting(r -> r.headers().get("X-freshet-signature").get(0))
        .doesNotHaveDuplicates();
    Duration firstPause = Duration.between(received.get(0).at(), received.get(1).at());
    Duration secondPause = Duration.between(received.get(1).at(), received.get(2).at());
    assertThat(firstPause).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    assertThat(secondPause).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
    assertThat(secondPause).isGreaterThan(firstPause);
    assertThat(meters.counter("freshet_notifications_retries_total", "target", "generic").count())
        .isEqualTo(2);
  }

  @Test
  void aRefusalIsNotRetriedButTooManyRequestsWaitsAsAsked() {
    start(
        new NotificationServer()
            .answering(new Answer(404, null), new Answer(429, "2"), new Answer(200, null)),
        QUICK);
    notifier.recorded(web, EventReason.RollingOut, "refused", change("sha256:" + "d".repeat(64)));
    notifier.recorded(web, EventReason.RolledOut, "throttled", change("sha256:" + "d".repeat(64)));

    await().atMost(Duration.ofSeconds(10)).until(() -> sent("delivered") == 1);
    List<Received> received = server.received();
    assertThat(received)
        .extracting(r -> r.json().get("message").asText())
        .containsExactly("refused", "throttled", "throttled");
    assertThat(sent("rejected")).isEqualTo(1);
    // Retry-After: 2 beats the 1 s back-off.
    assertThat(Duration.between(received.get(1).at(), received.get(2).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1950));
  }

  @Test
  void aTargetThatNeverAnswersCostsTheCallerNothingAndOverflowIsCounted() {
    var limits =
        new Delivery.Limits(
            5,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ZERO));
    start(new NotificationServer().hanging(), limits);

    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      notifier.recorded(web, EventReason.RollingOut, "rolling " + i, ImageChange.NONE);
    }
    Duration spent = Duration.ofNanos(System.nanoTime() - started);

    // A caller that waited on the hanging target would wait out at least one connect timeout; no
    // bound tighter than that, which would measure the machine rather than the behaviour.
    assertThat(spent).isLessThan(limits.connectTimeout());
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hung() == 1);
    // One in flight and five queued (or five queued before the worker took one): the rest are
    // dropped and counted.
    assertThat(meters.counter("freshet_notifications_dropped_total", "target", "generic").count())
        .isBetween(14.0, 15.0);
  }

  @Test
  void aTargetHearsOnlyTheKindsItsFilterNames() {
    start(new NotificationServer(), QUICK, "generic.events", "rolled-back, succeeded");
    notifier.recorded(web, EventReason.RollingOut, "rolling", ImageChange.NONE);
    notifier.recorded(web, EventReason.RolledBack, "rolled back", ImageChange.NONE);

    await().atMost(Duration.ofSeconds(10)).until(() -> sent("delivered") == 1);
    assertThat(server.received())
        .extracting(r -> r.json().get("kind").asText())
        .containsExactly("rolled-back");
    // Numbered among what this target hears: no gap for a kind it filters out.
    assertThat(server.received().get(0).json().get("sequence").asLong()).isEqualTo(1);
  }

  private double sent(String result) {
    return meters
        .counter("freshet_notifications_sent_total", "target", "generic", "result", result)
        .count();
  }

  private static String body(Received received) {
    return new String(received.body());
  }
}
