package dev.freshet.registry.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Waits on the calling thread. An interface so the waiting policy is visible in one place. */
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Waits until {@code clock} shows {@code deadline} or later (never a millisecond early). */
  default void sleepUntil(Clock clock, Instant deadline) throws InterruptedException {
    Instant now;
    while ((now = clock.instant()).isBefore(deadline)) {
      Duration left = Duration.between(now, deadline);
      sleep(Duration.ofMillis(left.toMillis() + 1)); // rounded up: early is never allowed
    }
  }

  Sleeper THREAD = duration -> Thread.sleep(Math.max(1, duration.toMillis()));
}
