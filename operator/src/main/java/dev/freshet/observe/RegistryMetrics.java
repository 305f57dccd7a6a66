package dev.freshet.observe;

import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RegistryListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry client's observations as Prometheus metrics: requests by registry and status,
 * retries, throttling, and the request budget a registry publishes (Docker Hub's {@code
 * ratelimit-remaining}), so an operator can alert before the budget runs out. Tagged by registry
 * host only: few values.
 */
public final class RegistryMetrics implements RegistryListener {
  private final MeterRegistry meters;
  private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> limit = new ConcurrentHashMap<>();

  public RegistryMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void onResponse(String registry, String method, int status, Duration elapsed) {
    Timer.builder("freshet_registry_requests")
        .tag("registry", registry)
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .register(meters)
        .record(elapsed);
  }

  @Override
  public void onRetry(String registry, int attempt, String cause, Duration delay) {
    meters.counter("freshet_registry_retries_total", "registry", registry).increment();
  }

  @Override
  public void onThrottled(String registry, Instant until) {
    meters.counter("freshet_registry_throttled_total", "registry", registry).increment();
  }

  @Override
  public void onRateLimitBudget(String registry, RateLimitBudget budget) {
    gauge("freshet_registry_ratelimit_remaining", registry, remaining).set(budget.remaining());
    gauge("freshet_registry_ratelimit_limit", registry, limit).set(budget.limit());
  }

  private AtomicLong gauge(String name, String registry, Map<String, AtomicLong> values) {
    return values.computeIfAbsent(
        registry,
        r -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get).tag("registry", r).register(meters);
          return value;
        });
  }
}
