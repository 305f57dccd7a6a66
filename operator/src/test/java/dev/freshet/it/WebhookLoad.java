package dev.freshet.it;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Webhook traffic beside a fault test, so faults and notifications meet as they do in production: a
 * registry's push notification for each watched repository, sent with the right bearer token, and
 * as many sent with a forged one, round-robin at a steady rate. Every answer is counted by kind and
 * status ({@code legitimate 202}, {@code forged 401}, {@code legitimate no-connection}…), so the
 * test can require that each legitimate one was taken and each forged one refused, whatever the
 * control plane was doing. The rate stays under the receiver's per-sender limit: this is load to
 * live through, not an attack (the hostile-webhook test is that).
 */
public final class WebhookLoad implements AutoCloseable {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final Thread thread;

  private WebhookLoad(
      URI notifyUrl, String token, String registry, List<String> repositories, int perSecond) {
    long pauseNanos = 1_000_000_000L / perSecond;
    thread =
        new Thread(
            () -> {
              long sent = 0;
              while (sending.get()) {
                String repository = repositories.get((int) (sent / 2 % repositories.size()));
                boolean forged = sent % 2 == 1;
                send(notifyUrl, forged ? "forged-" + token : token, registry, repository, forged);
                sent++;
                try {
                  Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "webhook-load");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts sending to the registry-notification endpoint {@code notifyUrl}, half the requests with
   * {@code token}, half forged, {@code perSecond} in all.
   */
  public static WebhookLoad start(
      URI notifyUrl, String token, String registry, List<String> repositories, int perSecond) {
    return new WebhookLoad(notifyUrl, token, registry, List.copyOf(repositories), perSecond);
  }

  private void send(URI url, String token, String registry, String repository, boolean forged) {
    String kind = forged ? "forged" : "legitimate";
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(pushEvent(registry, repository)))
            .build();
    String outcome;
    try {
      outcome =
          Integer.toString(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (ConnectException e) {
      outcome = "no-connection";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      outcome = e.getClass().getSimpleName();
    }
    answers.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
  }

  /** The registry's own envelope for a tag push; the digest is the registry's to tell. */
  private static String pushEvent(String registry, String repository) {
    return """
        {"events": [{"id": "%s", "action": "push",
          "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "repository": "%s", "tag": "dev"},
          "request": {"host": "%s", "method": "PUT"}}]}"""
        .formatted(UUID.randomUUID(), repository, registry);
  }

  /** Answers so far by "kind status", e.g. {@code legitimate 202 = 310}. */
  public Map<String, Long> answers() {
    var snapshot = new TreeMap<String, Long>();
    answers.forEach((k, v) -> snapshot.put(k, v.sum()));
    return snapshot;
  }

  /** Answers of one kind ("legitimate" or "forged") whose status is not {@code expected}. */
  public long unexpected(String kind, int expected) {
    return answers().entrySet().stream()
        .filter(e -> e.getKey().startsWith(kind + " "))
        .filter(e -> !e.getKey().equals(kind + " " + expected))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Override
  public void close() throws InterruptedException {
    sending.set(false);
    thread.interrupt();
    thread.join(10_000);
  }
}
