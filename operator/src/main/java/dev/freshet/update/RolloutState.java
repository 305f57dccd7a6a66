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
 * @param stalledMessage set when the controller gave up on the rollout (a Deployment past its
 *     progress deadline)
 * @param stalledSince when the controller said so, if it says: a Deployment keeps a timed-out
 *     condition through a rollback that makes no visible progress, so only a stall reported after a
 *     pin judges that pin
 */
public record RolloutState(
    int desired,
    int replicas,
    int ready,
    int updated,
    boolean current,
    boolean rolledOut,
    String stalledMessage,
    Optional<Instant> stalledSince) {

  /** A state whose stall, if any, has no known time. */
  public RolloutState(
      int desired,
      int replicas,
      int ready,
      int updated,
      boolean current,
      boolean rolledOut,
      String stalledMessage) {
    this(desired, replicas, ready, updated, current, rolledOut, stalledMessage, Optional.empty());
  }

  /**
   * Whether the stall was reported after {@code pinnedAt}; true when either time is unknown. Both
   * are whole seconds, and a stall of a pin comes at least its progress deadline (5 s or more)
   * after it, so "after" is strict: a stale stall reported in the second of the pin is not it.
   */
  public boolean stalledAfter(Optional<Instant> pinnedAt) {
    return stalledSince.isEmpty()
        || pinnedAt.isEmpty()
        || stalledSince.get().isAfter(pinnedAt.get());
  }

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
   * The state of {@code workload} judged against a deadline Freshet keeps for the kinds whose
   * controller keeps none: a StatefulSet or DaemonSet whose rollout of the pin made at {@code
   * pinnedAt} is not done {@code deadline} after it is stalled, as a Deployment past its {@code
   * progressDeadlineSeconds} is. A Deployment reports its own stall and a CronJob has no rollout;
   * with no known pin time nothing stalls.
   */
  public static Optional<RolloutState> of(
      HasMetadata workload, Duration deadline, Optional<Instant> pinnedAt, Instant now) {
    Optional<RolloutState> state = of(workload);
    if (!keepsNoDeadline(workload) || pinnedAt.isEmpty() || state.isEmpty()) {
      return state;
    }
    RolloutState s = state.get();
    Instant due = pinnedAt.get().plus(deadline);
    if (s.isDone() || s.isStalled() || !s.current() || now.isBefore(due)) {
      return state;
    }
    return Optional.of(
        new RolloutState(
            s.desired(),
            s.replicas(),
            s.ready(),
            s.updated(),
            s.current(),
            s.rolledOut(),
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
                + deadline.toSeconds()
                + " s after the pin (Freshet's progress deadline for this kind)",
            Optional.of(due)));
  }

  /**
   * How long until {@code workload}'s Freshet-kept deadline passes, when it is still ahead: the
   * reconcilers look again then, since a rollout stuck without change sends no event.
   */
  public static Optional<Duration> untilDeadline(
      HasMetadata workload, Duration deadline, Optional<Instant> pinnedAt, Instant now) {
    if (!keepsNoDeadline(workload) || pinnedAt.isEmpty()) {
      return Optional.empty();
    }
    if (of(workload).map(RolloutState::isDone).orElse(true)) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, pinnedAt.get().plus(deadline));
    // One second past it: the stall is judged strictly after the deadline.
    return left.isNegative() ? Optional.empty() : Optional.of(left.plusSeconds(1));
  }

  /** Kinds whose controller never gives up on a rollout, so Freshet keeps the deadline. */
  private static boolean keepsNoDeadline(HasMetadata workload) {
    return workload instanceof StatefulSet || workload instanceof DaemonSet;
  }

  public static RolloutState of(Deployment deployment) {
    var status = deployment.getStatus();
    int desired = orZero(deployment.getSpec().getReplicas());
    if (status == null) {
      return new RolloutState(desired, 0, 0, 0, false, false, null);
    }
    Optional<DeploymentCondition> timedOut =
        Optional.ofNullable(status.getConditions()).stream()
            .flatMap(List::stream)
            .filter(c -> "Progressing".equals(c.getType()))
            .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
            .findFirst();
    int updated = orZero(status.getUpdatedReplicas());
    return new RolloutState(
        desired,
        orZero(status.getReplicas()),
        orZero(status.getReadyReplicas()),
        updated,
        Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration()),
        updated >= desired,
        timedOut.map(DeploymentCondition::getMessage).orElse(null),
        timedOut.map(c -> c.getLastUpdateTime()).filter(t -> t != null).map(Instant::parse));
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
