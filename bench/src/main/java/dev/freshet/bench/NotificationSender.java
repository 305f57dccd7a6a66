package dev.freshet.bench;

import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.notify.NotifyException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a round's signed generic notifications on a fixed schedule, as {@code freshet notify} does,
 * without retries (a failure is counted, not hidden). Each is signed with its slot's scheduled
 * time: two notifications of the same image are then at least a second apart in their signed
 * timestamps, so the receiver sees deliberate duplicates, never a replay of one request.
 */
final class NotificationSender {
  /**
   * One notification: its slot, image, when it was scheduled and sent, and the receiver's answer.
   */
  record Sent(int slot, int image, Instant scheduled, Instant sentAt, int status, String error) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  private final URI url;
  private final Secret secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  NotificationSender(URI url, String secret) {
    this.url = url;
    this.secret = Secret.of(secret);
  }

  List<Sent> sendRound(NotificationPlan plan, BenchImages images) throws Exception {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    try {
      Instant start = Instant.now().plusMillis(50);
      long startNanos = System.nanoTime() + 50_000_000L;
      List<ScheduledFuture<Sent>> pending = new ArrayList<>();
      for (int k = 0; k < plan.perRound(); k++) {
        int slot = k;
        int image = plan.imageOfSlot(k);
        Duration offset = plan.offsetOfSlot(k);
        long delay = startNanos + offset.toNanos() - System.nanoTime();
        String reference = images.image(image).reference();
        String digest = images.image(image).digest();
        pending.add(
            timer.schedule(
                () -> send(slot, image, start.plus(offset), reference, digest),
                Math.max(0, delay),
                TimeUnit.NANOSECONDS));
      }
      List<Sent> sent = new ArrayList<>();
      for (ScheduledFuture<Sent> f : pending) {
        sent.add(f.get());
      }
      return sent;
    } finally {
      timer.shutdownNow();
    }
  }

  private Sent send(int slot, int image, Instant scheduled, String reference, String digest) {
    var client =
        new NotifyClient(
            http,
            Clock.fixed(scheduled, java.time.ZoneOffset.UTC),
            Duration.ofSeconds(10),
            List.of());
    Instant at = Instant.now();
    try {
      var delivered = client.notify(url, secret, reference, Optional.of(digest));
      return new Sent(slot, image, scheduled, at, delivered.status(), null);
    } catch (NotifyException e) {
      return new Sent(slot, image, scheduled, at, e.status(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(slot, image, scheduled, at, 0, "interrupted");
    } catch (RuntimeException e) {
      return new Sent(slot, image, scheduled, at, 0, e.toString());
    }
  }
}
