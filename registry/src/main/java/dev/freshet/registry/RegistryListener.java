package dev.freshet.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * What the client observes, for the operator to turn into metrics and logs. Every method has a
 * no-op default; implementations must be quick and must not throw (they run on the calling thread).
 */
public interface RegistryListener {
  RegistryListener NONE = new RegistryListener() {};

  /** A registry answered (any status); {@code elapsed} is until the headers arrived. */
  default void onResponse(String registry, String method, int status, Duration elapsed) {}

  /** A request failed transiently and is tried again after {@code delay}. */
  default void onRetry(String registry, int attempt, String cause, Duration delay) {}

  /**
   * The registry throttled us (429/503 with Retry-After): nothing goes there before {@code until}.
   */
  default void onThrottled(String registry, Instant until) {}

  /** The registry published its remaining request budget. */
  default void onRateLimitBudget(String registry, RateLimitBudget budget) {}
}
