package dev.freshet.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollouts as Prometheus metrics, derived from the Events that tell them, as notifications are:
 *
 * <ul>
 *   <li>{@code freshet_rollouts_total{kind, outcome}}: {@code started} (RollingOut), {@code
 *       succeeded} (RolledOut), {@code rolled_back} (RolledBack), by the workload's kind ({@code
 *       App}, {@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code CronJob});
 *   <li>{@code freshet_rollout_duration_seconds{kind}}: a histogram of the time from Freshet seeing
 *       a new digest (UpdateFound) to every replica running it (RolledOut).
 * </ul>
 *
 * Every series exists from the start at zero, so alerts and dashboards see them before the first
 * rollout.
 */
public final class RolloutMetrics implements EventListener {
  static final List<String> KINDS =
      List.of("App", "Deployment", "StatefulSet", "DaemonSet", "CronJob");

  /** How many digests seen but not rolled out yet are remembered; the oldest is forgotten first. */
  static final int REMEMBERED = 10_000;

  private final MeterRegistry meters;
  private final Clock clock;
  private final Map<String, Instant> seen =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED;
        }
      };

  public RolloutMetrics(MeterRegistry meters, Clock clock) {
    this.meters = meters;
    this.clock = clock;
    for (String kind : KINDS) {
      for (String outcome : List.of("started", "succeeded", "rolled_back")) {
        counter(kind, outcome);
      }
      timer(kind);
    }
  }

  @Override
  public void recorded(
      HasMetadata regarding, EventReason reason, String message, ImageChange change) {
    String kind = regarding.getKind();
    switch (reason) {
      case UpdateFound -> remember(key(regarding, change), clock.instant());
      case RollingOut -> counter(kind, "started").increment();
      case RolledBack -> counter(kind, "rolled_back").increment();
      case RolledOut -> {
        counter(kind, "succeeded").increment();
        Instant since = forget(key(regarding, change));
        if (since != null) {
          timer(kind).record(Duration.between(since, clock.instant()));
        }
      }
      default -> {}
    }
  }

  private synchronized void remember(String key, Instant at) {
    seen.putIfAbsent(key, at);
  }

  private synchronized Instant forget(String key) {
    return seen.remove(key);
  }

  private static String key(HasMetadata regarding, ImageChange change) {
    return regarding.getKind()
        + "/"
        + regarding.getMetadata().getNamespace()
        + "/"
        + regarding.getMetadata().getName()
        + "/"
        + change.container().orElse("")
        + "@"
        + change.toDigest().orElse("");
  }

  private Counter counter(String kind, String outcome) {
    return meters.counter("freshet_rollouts_total", "kind", kind, "outcome", outcome);
  }

  private Timer timer(String kind) {
    return Timer.builder("freshet_rollout_duration_seconds")
        .description("From Freshet seeing a new digest to every replica running it")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(meters);
  }
}
