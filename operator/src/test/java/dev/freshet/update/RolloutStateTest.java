package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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
    assertThat(
            RolloutState.untilDeadline(
                cronJob, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(1)))
        .as("nothing to look at again")
        .isEmpty();
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

  @Test
  void aDeploymentsStallIsBelievedOnlyOnceItsDeadlineHasPassedSinceThePin() {
    // Its controller can carry the timed-out condition of the template before over to a new one
    // (a ReplicaSet that already exists) and write it, newly dated, seconds after the pin.
    var web = stalledDeployment(10);
    Duration ignored = Duration.ofSeconds(600);

    var early = RolloutState.of(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(8));
    var due = RolloutState.of(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(10));

    assertThat(early.get().isStalled()).isFalse();
    assertThat(early.get().current()).isTrue();
    assertThat(RolloutState.untilDeadline(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(8)))
        .contains(Duration.ofSeconds(3));
    assertThat(due.get().isStalled()).isTrue();
    assertThat(due.get().stalledMessage())
        .isEqualTo("ReplicaSet \"web-2\" has timed out progressing.");
  }

  @Test
  void aDeploymentsStallWithoutAKnownPinIsItsControllers() {
    var web = stalledDeployment(10);

    assertThat(
            RolloutState.of(web, Duration.ofSeconds(10), Optional.empty(), PINNED)
                .get()
                .isStalled())
        .isTrue();
    assertThat(RolloutState.untilDeadline(web, Duration.ofSeconds(10), Optional.empty(), PINNED))
        .isEmpty();
  }

  @Test
  void aDeploymentWithoutItsOwnDeadlineHasKubernetesDefault() {
    var web = stalledDeployment(null);

    assertThat(
            RolloutState.of(
                    web, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(599))
                .get()
                .isStalled())
        .isFalse();
    assertThat(
            RolloutState.of(
                    web, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(600))
                .get()
                .isStalled())
        .isTrue();
  }

  @Test
  void aDeploymentWhoseControllerStillReportsTheRolloutBeforeAsFinishedIsStalledAtItsDeadline() {
    // Its new ReplicaSet's "created" condition lost a write conflict; the retry found the
    // ReplicaSet and left NewReplicaSetAvailable, under which the controller never times out.
    var web =
        rollingDeployment(10, "True", "NewReplicaSetAvailable", "has successfully progressed.");
    Duration ignored = Duration.ofSeconds(600);

    var before = RolloutState.of(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(9));
    var due = RolloutState.of(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(10));

    assertThat(before.get().isStalled()).isFalse();
    assertThat(RolloutState.untilDeadline(web, ignored, Optional.of(PINNED), PINNED.plusSeconds(9)))
        .contains(Duration.ofSeconds(2));
    assertThat(due.get().isStalled()).isTrue();
    assertThat(due.get().stalledMessage())
        .contains("Deployment web has 1 of 2 replicas updated and 2 ready, 10 s after the pin")
        .contains("Progressing condition is still the rollout before's");
  }

  @Test
  void aDeploymentWhoseControllerTimesTheRolloutIsLeftToIt() {
    var web = rollingDeployment(10, "True", "ReplicaSetUpdated", "is progressing.");

    assertThat(
            RolloutState.of(
                    web, Duration.ofSeconds(10), Optional.of(PINNED), PINNED.plusSeconds(60))
                .get()
                .isStalled())
        .isFalse();
  }

  private static Deployment stalledDeployment(Integer progressDeadlineSeconds) {
    return rollingDeployment(
        progressDeadlineSeconds, "False", "ProgressDeadlineExceeded", "has timed out progressing.");
  }

  private static Deployment rollingDeployment(
      Integer progressDeadlineSeconds, String status, String reason, String says) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withGeneration(3L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withProgressDeadlineSeconds(progressDeadlineSeconds)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(3L)
        .withReplicas(3)
        .withReadyReplicas(2)
        .withUpdatedReplicas(1)
        .addNewCondition()
        .withType("Progressing")
        .withStatus(status)
        .withReason(reason)
        .withMessage("ReplicaSet \"web-2\" " + says)
        .withLastUpdateTime(PINNED.plusSeconds(8).toString())
        .endCondition()
        .endStatus()
        .build();
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
