package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rollout counters and the seen-to-rolled-out histogram, from the Events that tell them. */
class RolloutMetricsTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private Instant now = Instant.parse("2026-11-30T12:00:00Z");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RolloutMetrics metrics =
      new RolloutMetrics(
          meters,
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });
  private final io.fabric8.kubernetes.api.model.apps.Deployment web =
      new DeploymentBuilder()
          .withNewMetadata()
          .withName("web")
          .withNamespace("team-a")
          .endMetadata()
          .build();

  @Test
  void everySeriesExistsAtZeroBeforeTheFirstRollout() {
    for (String kind : RolloutMetrics.KINDS) {
      for (String outcome : new String[] {"started", "succeeded", "rolled_back"}) {
        assertThat(count(kind, outcome)).isZero();
      }
      assertThat(meters.get("freshet_rollout_duration_seconds").tag("kind", kind).timer().count())
          .isZero();
    }
  }

  @Test
  void aRolloutCountsOnceAndItsDurationRunsFromSeenToRolledOut() {
    metrics.recorded(web, EventReason.UpdateFound, "found", change(D2));
    now = now.plusSeconds(3);
    metrics.recorded(web, EventReason.RollingOut, "rolling", change(D2));
    now = now.plusSeconds(9);
    metrics.recorded(web, EventReason.RolledOut, "done", change(D2));
    // A RolledOut without a digest seen first (seen by an earlier process) counts, but is not
    // timed.
    metrics.recorded(web, EventReason.RolledOut, "done", change(D1));
    metrics.recorded(web, EventReason.RolledBack, "back", change(D1));

    assertThat(count("Deployment", "started")).isEqualTo(1);
    assertThat(count("Deployment", "succeeded")).isEqualTo(2);
    assertThat(count("Deployment", "rolled_back")).isEqualTo(1);
    assertThat(count("App", "started")).isZero();
    var timer = meters.get("freshet_rollout_duration_seconds").tag("kind", "Deployment").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(12).toSeconds());
  }

  private double count(String kind, String outcome) {
    return meters
        .get("freshet_rollouts_total")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private static ImageChange change(String toDigest) {
    return new ImageChange(
        Optional.of("app"),
        Optional.of("registry.example/web:dev"),
        Optional.of("dev"),
        Optional.empty(),
        Optional.of(toDigest));
  }
}
