package dev.freshet.update;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a workload's controller got with the current pod template, read the way each kind reports
 * it, in one shape for Apps and tracked workloads alike. This is the one place that says whether a
 * rollout is done.
 *
 * @param desired replicas asked for (for a DaemonSet, the nodes it should run on)
 * @param replicas pods that exist
 * @param ready pods that are ready
 * @param updated pods that run the current template
 * @param current whether the controller has seen the newest spec
 * @param rolledOut whether every replica runs the current template
 * @param stalledMessage set when the rollout is stalled: its controller gave up on it (a Deployment
 *     past its progress deadline), or Freshet did for a kind whose controller never gives up
 */
public record RolloutState(
    int desired,
    int replicas,
    int ready,
    int updated,
    boolean current,
    boolean rolledOut,
    String stalledMessage) {

  /** What the API server defaults {@code spec.progressDeadlineSeconds} to. */
  private static final int DEPLOYMENT_DEFAULT_DEADLINE_SECONDS = 600;

  /** The {@code Progressing} reason of a Deployment whose rollout finished. */
  private static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";

  /** The rollout of the current template is complete and every replica is ready. */
  public boolean isDone() {
    return current && rolledOut && replicas == desired && ready >= desired && updated >= desired;
  }

  public boolean isStalled() {
    return stalledMessage != null;
  }

  /** The state of any of the four kinds, or empty for another kind. */
  public static Optional<RolloutState> of(HasMetadata workload) {
    if (workload instanceof Deployment deployment) {
      return Optional.of(of(deployment));
    }
    if (workload instanceof StatefulSet statefulSet) {
      return Optional.of(of(statefulSet));
    }
    if (workload instanceof DaemonSet daemonSet) {
      return Optional.of(of(daemonSet));
    }
    if (workload instanceof CronJob cronJob) {
      return Optional.of(of(cronJob));
    }
    return Optional.empty();
  }

  /**
   * The state of {@code workload}'s rollout of the pin made at {@code pinnedAt}, judged by
   * Freshet's own clock: no rollout is stalled before its progress deadline has passed since the
   * pin. That deadline is a Deployment's {@code progressDeadlineSeconds}, and {@code deadline} for
   * the kinds whose controller keeps none. With no known pin time the state is the controller's.
   *
   * <ul>
   *   <li>A StatefulSet or DaemonSet whose rollout is not done by then is stalled, as a Deployment
   *       past its deadline is.
   *   <li>A Deployment is judged by its controller's {@code Progressing} condition, from the
   *       deadline on, since that controller does not always restart its clock for a new template.
   *       When the new ReplicaSet already exists (a revisit, or a create retried after its status
   *       write lost a conflict), the condition of the template before stays: a timed-out one,
   *       which can even be written anew seconds after the pin, or the finished rollout's {@code
   *       NewReplicaSetAvailable}, under which the controller never times out at all. Any progress
   *       since the pin replaces either, so one still there at the deadline means the pin has made
   *       none for the whole deadline: a stall, the same as one the controller reports.
   *   <li>A CronJob has no rollout.
   * </ul>
   */
  public static Optional<RolloutState> of(
      HasMetadata workload, Duration deadline, Optional<Instant> pinnedAt, Instant now) {
    Optional<RolloutState> state = of(workload);
    if (pinnedAt.isEmpty() || state.isEmpty()) {
      return state;
    }
    RolloutState s = state.get();
    Duration allowed = deadlineOf(workload, deadline);
    if (now.isBefore(pinnedAt.get().plus(allowed))) {
      return s.isStalled() ? Optional.of(s.withStall(null)) : state;
    }
    Optional<String> whoseDeadline = deadlineKeptByFreshet(workload);
    if (whoseDeadline.isEmpty() || s.isDone() || s.isStalled() || !s.current()) {
      return state;
    }
    return Optional.of(
        s.withStall(
            workload.getKind()
                + " "
                + workload.getMetadata().getName()
                + " has "
                + s.updated()
                + " of "
                + s.desired()
                + " replicas updated and "
                + s.ready()
                + " ready, "
                + allowed.toSeconds()
                + " s after the pin ("
                + whoseDeadline.get()
                + ")"));
  }

  /**
   * How long until the progress deadline of {@code workload}'s rollout of the pin made at {@code
   * pinnedAt} passes, while the rollout is not done and the deadline is still ahead: the
   * reconcilers look again then, since a rollout stuck without change sends no event, and a
   * Deployment's stall reported early is judged only then (see {@link #of(HasMetadata, Duration,
   * Optional, Instant)}).
   */
  public static Optional<Duration> untilDeadline(
      HasMetadata workload, Duration deadline, Optional<Instant> pinnedAt, Instant now) {
    // A CronJob's state is always done: only kinds with a rollout come past this.
    if (pinnedAt.isEmpty() || of(workload).map(RolloutState::isDone).orElse(true)) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, pinnedAt.get().plus(deadlineOf(workload, deadline)));
    // One second past it: the pin time is whole seconds, the pin itself up to one later.
    return left.isNegative() ? Optional.empty() : Optional.of(left.plusSeconds(1));
  }

  /** A Deployment's own progress deadline (Kubernetes' default when unset), else {@code kept}. */
  private static Duration deadlineOf(HasMetadata workload, Duration kept) {
    if (workload instanceof Deployment deployment) {
      Integer seconds = deployment.getSpec().getProgressDeadlineSeconds();
      return Duration.ofSeconds(seconds == null ? DEPLOYMENT_DEFAULT_DEADLINE_SECONDS : seconds);
    }
    return kept;
  }

  private RolloutState withStall(String message) {
    return new RolloutState(desired, replicas, ready, updated, current, rolledOut, message);
  }

  /**
   * Why Freshet judges {@code workload}'s deadline itself, or empty when its controller does: a
   * StatefulSet's or DaemonSet's controller never gives up on a rollout, and a Deployment's whose
   * {@code Progressing} condition still says the rollout before finished is not timing this one.
   */
  private static Optional<String> deadlineKeptByFreshet(HasMetadata workload) {
    if (workload instanceof Deployment deployment) {
      boolean clockStopped =
          progressing(deployment)
              .map(c -> NEW_REPLICA_SET_AVAILABLE.equals(c.getReason()))
              .orElse(true);
      return clockStopped
          ? Optional.of(
              "its progressDeadlineSeconds, kept by Freshet: its controller's Progressing"
                  + " condition is still the rollout before's, so it times out nothing")
          : Optional.empty();
    }
    return keepsNoDeadline(workload)
        ? Optional.of("Freshet's progress deadline for this kind")
        : Optional.empty();
  }

  /** Kinds whose controller never gives up on a rollout, so Freshet keeps the deadline. */
  private static boolean keepsNoDeadline(HasMetadata workload) {
    return workload instanceof StatefulSet || workload instanceof DaemonSet;
  }

  private static Optional<DeploymentCondition> progressing(Deployment deployment) {
    return Optional.ofNullable(deployment.getStatus()).map(st -> st.getConditions()).stream()
        .flatMap(List::stream)
        .filter(c -> "Progressing".equals(c.getType()))
        .findFirst();
  }

  public static RolloutState of(Deployment deployment) {
    var status = deployment.getStatus();
    int desired = orZero(deployment.getSpec().getReplicas());
    if (status == null) {
      return new RolloutState(desired, 0, 0, 0, false, false, null);
    }
    Optional<DeploymentCondition> timedOut =
        progressing(deployment).filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()));
    int updated = orZero(status.getUpdatedReplicas());
    return new RolloutState(
        desired,
        orZero(status.getReplicas()),
        orZero(status.getReadyReplicas()),
        updated,
        Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration()),
        updated >= desired,
        timedOut.map(DeploymentCondition::getMessage).orElse(null));
  }

  public static RolloutState of(StatefulSet statefulSet) {
    var status = statefulSet.getStatus();
    int desired = orZero(statefulSet.getSpec().getReplicas());
    if (status == null) {
      return new RolloutState(desired, 0, 0, 0, false, false, null);
    }
    boolean rolledOut =
        status.getUpdateRevision() == null
            || Objects.equals(status.getCurrentRevision(), status.getUpdateRevision());
    return new RolloutState(
        desired,
        orZero(status.getReplicas()),
        orZero(status.getReadyReplicas()),
        // A finished rollout folds updateRevision into currentRevision and may leave
        // updatedReplicas unset: every replica then runs the current template.
        rolledOut ? orZero(status.getReplicas()) : orZero(status.getUpdatedReplicas()),
        Objects.equals(status.getObservedGeneration(), statefulSet.getMetadata().getGeneration()),
        rolledOut,
        null);
  }

  public static RolloutState of(DaemonSet daemonSet) {
    var status = daemonSet.getStatus();
    if (status == null) {
      return new RolloutState(0, 0, 0, 0, false, false, null);
    }
    int desired = orZero(status.getDesiredNumberScheduled());
    int updated = orZero(status.getUpdatedNumberScheduled());
    return new RolloutState(
        desired,
        orZero(status.getCurrentNumberScheduled()),
        orZero(status.getNumberAvailable()),
        updated,
        Objects.equals(status.getObservedGeneration(), daemonSet.getMetadata().getGeneration()),
        updated >= desired,
        null);
  }

  /**
   * A CronJob has no rollout: no pod runs its template until the next scheduled Job, which is made
   * from the template as it stands then. A new template is therefore complete as soon as the API
   * server holds it, with nothing to wait for and no health to gate on; jobs already running keep
   * the image they started with.
   */
  public static RolloutState of(CronJob cronJob) {
    return new RolloutState(0, 0, 0, 0, true, true, null);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
