package dev.freshet.notify;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one target's notifications, one at a time and in the order they came, from a worker thread
 * of its own with an HTTP client of its own: a slow or failing target delays only its own queue,
 * never a reconcile, and never another target. The queue is bounded; what does not fit is dropped
 * and counted ({@code freshet_notifications_dropped_total}). Each notification ends counted once in
 * {@code freshet_notifications_sent_total} by result: {@code delivered} (2xx), {@code rejected} (a
 * 4xx that is not retried) or {@code failed} (every attempt failed).
 */
final class Delivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  /**
   * @param capacity how many notifications may wait for the target
   * @param connectTimeout how long a connection may take to open
   * @param requestTimeout how long the target may take to answer one request
   */
  record Limits(int capacity, Duration connectTimeout, Duration requestTimeout, RetryPolicy retry) {
    static final Limits DEFAULT =
        new Limits(1000, Duration.ofSeconds(5), Duration.ofSeconds(10), RetryPolicy.DEFAULT);
  }

  private final Target target;
  private final Limits limits;
  private final MeterRegistry meters;
  private final Clock clock;
  private final HttpClient http;
  private final BlockingQueue<Notification> queue;
  private final Thread worker;
  private volatile boolean closed;

  Delivery(Target target, Limits limits, MeterRegistry meters, Clock clock) {
    this.target = target;
    this.limits = limits;
    this.meters = meters;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(limits.connectTimeout()).build();
    this.queue = new ArrayBlockingQueue<>(limits.capacity());
    this.worker = new Thread(this::run, "freshet-notify-" + target.name());
    worker.setDaemon(true);
    worker.start();
  }

  Target target() {
    return target;
  }

  /** Queues the notification without waiting; a full queue drops it, counted. */
  void offer(Notification notification) {
    if (closed || !queue.offer(notification)) {
      meters.counter("freshet_notifications_dropped_total", "target", target.name()).increment();
      log.warn(
          "notification {} of {} dropped: {} queue is full",
          notification.kind().id(),
          notification.subject(),
          target.name());
    }
  }

  private void run() {
    try {
      while (!closed || !queue.isEmpty()) {
        deliver(queue.take());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Notification notification) throws InterruptedException {
    byte[] body = target.format().body(notification);
    RetryPolicy retry = limits.retry();
    String failure = "";
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      var request =
          HttpRequest.newBuilder(target.url())
              .timeout(limits.requestTimeout())
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      // Signed anew at each attempt, so a retry never repeats a signature the target may have
      // accepted (a receiver that refuses replays would refuse it).
      target.headers(body, clock.instant().getEpochSecond()).forEach(request::header);
      int status;
      Optional<String> retryAfter = Optional.empty();
      try {
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        retryAfter = response.headers().firstValue("Retry-After");
        failure = status + " " + abbreviate(response.body());
      } catch (IOException e) {
        status = 0;
        failure = e.toString();
      }
      if (status >= 200 && status < 300) {
        count("delivered");
        return;
      }
      if (!RetryPolicy.retries(status)) {
        count("rejected");
        log.warn(
            "{} refused notification {} of {}: {}; not retried",
            target.name(),
            notification.kind().id(),
            notification.subject(),
            failure);
        return;
      }
      if (attempt < retry.maxAttempts()) {
        meters.counter("freshet_notifications_retries_total", "target", target.name()).increment();
        Thread.sleep(
            retry.delay(attempt, RetryPolicy.retryAfter(retryAfter, clock.instant())).toMillis());
      }
    }
    count("failed");
    log.warn(
        "notification {} of {} to {} failed after {} attempts: {}",
        notification.kind().id(),
        notification.subject(),
        target.name(),
        retry.maxAttempts(),
        failure);
  }

  private void count(String result) {
    meters
        .counter("freshet_notifications_sent_total", "target", target.name(), "result", result)
        .increment();
  }

  private static String abbreviate(String text) {
    String line = text.strip().replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /**
   * Stops taking notifications. What is queued is still sent, by the worker in the background; a
   * process that exits does not wait for it.
   */
  @Override
  public void close() {
    closed = true;
    if (queue.isEmpty()) {
      worker.interrupt();
    }
  }
}
