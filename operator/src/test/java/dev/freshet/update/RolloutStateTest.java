package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Read through the kind-agnostic entry point, as the tracked-workload reconciler reads it. */
class RolloutStateTest {

  @Test
  void aCronJobHasNoRolloutSoItsTemplateIsDoneOnceWrittenAndNeverStalls() {
    var cronJob =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("report")
            .withGeneration(7L)
            .endMetadata()
            .withNewSpec()
            .withSchedule("0 3 * * *")
            .endSpec()
            .build();

    assertThat(RolloutState.of((HasMetadata) cronJob))
        .hasValueSatisfying(
            state -> {
              assertThat(state.isDone()).isTrue();
              assertThat(state.isStalled()).isFalse();
            });
  }

  private static final Instant PINNED = Instant.parse("2026-11-30T06:00:00Z");

  @Test
  void aStatefulSetStillRollingPastFreshetsDeadlineIsStalledAfterThePin() {
    var db = statefulSet("rev-2", "rev-1", 1);

    var before =
        RolloutState.of(db, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(9));
    var after =
        RolloutState.of(db, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(10));

    assertThat(before.get().isStalled()).isFalse();
    assertThat(
            RolloutState.untilDeadline(
                db, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(9)))
        .contains(Duration.ofSeconds(2));
    assertThat(after.get().isStalled()).isTrue();
    assertThat(after.get().stalledMessage()).contains("StatefulSet db", "1 of 2", "10 s");
    assertThat(after.get().stalledAfter(Optional.of(PINNED))).isTrue();
  }

  @Test
  void aFinishedStatefulSetOrOneWithoutAKnownPinNeverStalls() {
    var done = statefulSet("rev-2", "rev-2", 2);
    var rolling = statefulSet("rev-2", "rev-1", 1);
    Instant late = PINNED.plusSeconds(3600);

    assertThat(
            RolloutState.of(done, Duration.ofSeconds(10), Optional.of(PINNED), late)
                .get()
                .isStalled())
        .isFalse();
    assertThat(
            RolloutState.of(rolling, Duration.ofSeconds(10), Optional.empty(), late)
                .get()
                .isStalled())
        .isFalse();
  }

  private static StatefulSet statefulSet(String update, String current, int ready) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("db")
        .withGeneration(2L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withReplicas(2)
        .withReadyReplicas(ready)
        .withUpdatedReplicas(ready == 2 ? 2 : 1)
        .withUpdateRevision(update)
        .withCurrentRevision(current)
        .endStatus()
        .build();
  }
}
