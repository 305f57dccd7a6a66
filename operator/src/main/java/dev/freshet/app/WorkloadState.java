package dev.freshet.app;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workload's controller reports, reduced to what the App's status needs. Both kinds map to
 * the same shape so the status rules are written once.
 *
 * @param current whether the workload controller has seen the newest spec
 * @param rolledOut whether every replica runs the newest pod template
 * @param stalledMessage set when the controller gave up on a rollout
 */
public record WorkloadState(
    int desired,
    int replicas,
    int ready,
    int updated,
    boolean current,
    boolean rolledOut,
    String stalledMessage) {

  public boolean isReady() {
    return current && rolledOut && replicas == desired && ready >= desired && updated >= desired;
  }

  public static WorkloadState of(Deployment deployment) {
    var spec = deployment.getSpec();
    var status = deployment.getStatus();
    int desired = orZero(spec.getReplicas());
    if (status == null) {
      return new WorkloadState(desired, 0, 0, 0, false, false, null);
    }
    boolean current =
        Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration());
    String stalled =
        Optional.ofNullable(status.getConditions()).stream()
            .flatMap(java.util.List::stream)
            .filter(c -> "Progressing".equals(c.getType()))
            .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
            .map(c -> c.getMessage())
            .findFirst()
            .orElse(null);
    int updated = orZero(status.getUpdatedReplicas());
    return new WorkloadState(
        desired,
        orZero(status.getReplicas()),
        orZero(status.getReadyReplicas()),
        updated,
        current,
        updated >= desired,
        stalled);
  }

  public static WorkloadState of(StatefulSet statefulSet) {
    var spec = statefulSet.getSpec();
    var status = statefulSet.getStatus();
    int desired = orZero(spec.getReplicas());
    if (status == null) {
      return new WorkloadState(desired, 0, 0, 0, false, false, null);
    }
    boolean current =
        Objects.equals(status.getObservedGeneration(), statefulSet.getMetadata().getGeneration());
    boolean rolledOut =
        status.getUpdateRevision() == null
            || Objects.equals(status.getCurrentRevision(), status.getUpdateRevision());
    return new WorkloadState(
        desired,
        orZero(status.getReplicas()),
        orZero(status.getReadyReplicas()),
        orZero(status.getUpdatedReplicas()),
        current,
        rolledOut,
        null);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
