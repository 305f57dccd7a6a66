package dev.freshet.bench;

import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ways a new digest reaches the fleet's templates, each timed until the watch saw every
 * workload name its image's current digest: the operator's polling, the operator's webhook (one
 * signed generic notification per image, as {@code freshet notify} sends), and the baseline — the
 * same template changes sent by the bench itself with server-side apply, the API server's own speed
 * on this machine.
 */
final class Rollouts {
  static final String WEBHOOK_SECRET_NAME = "freshet-webhook";
  private static final String FIELD_MANAGER = "bench-direct";

  private final BenchTestbed testbed;
  private final Fleet fleet;
  private final TemplateWatch templates;
  private final String hmac = "bench-" + UUID.randomUUID();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final AtomicInteger failedNotifications = new AtomicInteger();

  Rollouts(BenchTestbed testbed, Fleet fleet, TemplateWatch templates) {
    this.testbed = testbed;
    this.fleet = fleet;
    this.templates = templates;
  }

  /** The Secret Freshet's receivers read their keys from: the generic receiver's hmac key. */
  void createWebhookSecret() {
    testbed
        .client
        .secrets()
        .inNamespace(fleet.namespace())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(WEBHOOK_SECRET_NAME)
                .endMetadata()
                .addToData(
                    "hmac",
                    Base64.getEncoder().encodeToString(hmac.getBytes(StandardCharsets.UTF_8)))
                .build())
        .serverSideApply();
  }

  /** Seconds from now until every workload's template names its image's current digest. */
  double awaitAllCurrent(String what) throws InterruptedException {
    long start = System.nanoTime();
    BenchTestbed.await(what, () -> templates.count(fleet::current) == fleet.workloads());
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * One notification per image to the receiver on {@code port}, {@code perSecond} a second (0: all
   * at once, from the pool); returns each image's send time (System.nanoTime).
   */
  long[] notifyAll(int port, double perSecond) throws Exception {
    var url = URI.create("http://127.0.0.1:" + port + "/hooks/generic");
    // Retries as `freshet notify` does: a burst from one address meets the receiver's per-sender
    // limit, and a sender that gave up at the first 429 would leave its image to the next poll.
    var client =
        new NotifyClient(
            http, Clock.systemUTC(), Duration.ofSeconds(10), NotifyClient.DEFAULT_BACKOFF);
    Secret secret = Secret.of(hmac);
    int images = fleet.images().count();
    long[] sentAt = new long[images];
    long start = System.nanoTime();
    var pending = new ArrayList<java.util.concurrent.Future<?>>();
    for (int i = 0; i < images; i++) {
      if (perSecond > 0) {
        pause(start + (long) (i * 1e9 / perSecond));
      }
      int image = i;
      pending.add(
          testbed.pool.submit(
              () -> {
                var pushed = fleet.images().image(image);
                sentAt[image] = System.nanoTime();
                try {
                  client.notify(url, secret, pushed.reference(), Optional.of(pushed.digest()));
                } catch (Exception e) {
                  failedNotifications.incrementAndGet();
                  Bench.log("notification for %s failed: %s", pushed.reference(), e.getMessage());
                }
              }));
    }
    for (var f : pending) {
      f.get();
    }
    return sentAt;
  }

  /**
   * The baseline: every workload's template set to its image's current digest with server-side
   * apply (forced: the operator's field manager owns the field), grouped by image and {@code
   * perSecond} images a second (0: all at once from the pool); returns each image's send time.
   */
  long[] patchDirectly(double perSecond) throws Exception {
    int images = fleet.images().count();
    long[] sentAt = new long[images];
    long start = System.nanoTime();
    var pending = new ArrayList<java.util.concurrent.Future<?>>();
    for (int i = 0; i < images; i++) {
      if (perSecond > 0) {
        pause(start + (long) (i * 1e9 / perSecond));
      }
      int image = i;
      sentAt[image] = System.nanoTime();
      String pinned = fleet.images().image(image).pinnedReference();
      for (int w = image; w < fleet.workloads(); w += images) {
        String name = Fleet.name(w);
        pending.add(
            testbed.pool.submit(
                () ->
                    testbed
                        .client
                        .resource(pin(name, pinned))
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply()));
      }
    }
    for (var f : pending) {
      f.get();
    }
    return sentAt;
  }

  private static void pause(long untilNanos) throws InterruptedException {
    long wait = untilNanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  /** The part of a Deployment the baseline owns: its container's image. */
  private Deployment pin(String name, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(fleet.namespace())
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Each workload's latency in ms: when the watch saw it current, minus its image's send time. */
  List<Double> latenciesMs(long[] sentAt) {
    var latencies = new ArrayList<Double>();
    for (Map.Entry<String, TemplateWatch.Seen> e : templates.snapshot().entrySet()) {
      int image = fleet.imageOf(Fleet.index(e.getKey()));
      latencies.add((e.getValue().atNanos() - sentAt[image]) / 1e6);
    }
    return latencies;
  }
}
