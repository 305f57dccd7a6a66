package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.update.ImageFieldApplier;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which changes of a workload reach the tracked reconciler. */
class TrackedEventsTest {
  private final io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter<
          Deployment>
      onUpdate = TrackedEvents.onUpdate();

  @Test
  void aWorkloadThatNeverMentionsFreshetWakesNoReconcilerWhenItsStatusChanges() {
    Deployment before = deployment(Map.of("team", "payments"));
    Deployment after = withReadyReplicas(before, 2);

    assertThat(TrackedEvents.<Deployment>onAdd().accept(before)).isFalse();
    assertThat(onUpdate.accept(after, before)).isFalse();
  }

  @Test
  void aPolicyAddedOrRemovedIsSeen() {
    Deployment untracked = deployment(Map.of());
    Deployment tracked = deployment(Map.of(TrackedAnnotations.POLICY, "digest"));

    assertThat(onUpdate.accept(tracked, untracked)).isTrue();
    assertThat(onUpdate.accept(untracked, tracked)).isTrue();
    assertThat(onUpdate.accept(withReadyReplicas(tracked, 1), tracked)).isTrue();
  }

  @Test
  void aRecordOrAPersonsRequestLeftOnAnUntrackedWorkloadIsSeenToBeCleared() {
    assertThat(TrackedEvents.concernsFreshet(deployment(Map.of(TrackedStatus.UP_TO_DATE, "True"))))
        .isTrue();
    assertThat(TrackedEvents.concernsFreshet(deployment(Map.of("freshet.dev/rollback", "x"))))
        .isTrue();
    Deployment legacy = deployment(Map.of());
    legacy
        .getMetadata()
        .setManagedFields(
            java.util.List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager(ImageFieldApplier.LEGACY_STATUS_MANAGER)
                    .build()));
    assertThat(TrackedEvents.concernsFreshet(legacy)).isTrue();
  }

  @Test
  void everyKindHasItsReconciler() {
    var parts = new TrackedReconcilers.Parts(null, null, null, null, null, null, null, null);
    for (WorkloadKind<?> kind : WorkloadKind.ALL) {
      assertThat(TrackedReconcilers.of(kind, parts).kindName()).isEqualTo(kind.name());
    }
  }

  private static Deployment deployment(Map<String, String> annotations) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewStatus()
        .withReadyReplicas(0)
        .endStatus()
        .build();
  }

  private static Deployment withReadyReplicas(Deployment deployment, int ready) {
    return new DeploymentBuilder(deployment)
        .editStatus()
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }
}
