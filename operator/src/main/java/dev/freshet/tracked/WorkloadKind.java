package dev.freshet.tracked;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the tracked-workload controller needs to know of each kind it follows: where the pod template
 * is, and whether the workload's controller has finished rolling the current template out.
 */
public record WorkloadKind<W extends HasMetadata>(
    Class<W> type, Function<W, PodTemplateSpec> template, Predicate<W> rolledOut) {

  public static final WorkloadKind<Deployment> DEPLOYMENT = new WorkloadKind<>(
      Deployment.class,
      d -> d.getSpec().getTemplate(),
      d -> d.getStatus() != null
          && Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration())
          && Objects.equals(d.getStatus().getUpdatedReplicas(), d.getSpec().getReplicas())
          && Objects.equals(d.getStatus().getAvailableReplicas(), d.getSpec().getReplicas())
          && Objects.equals(d.getStatus().getReplicas(), d.getSpec().getReplicas()));

  public static final WorkloadKind<StatefulSet> STATEFUL_SET = new WorkloadKind<>(
      StatefulSet.class,
      s -> s.getSpec().getTemplate(),
      s -> s.getStatus() != null
          && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration())
          && Objects.equals(s.getStatus().getCurrentRevision(), s.getStatus().getUpdateRevision())
          && Objects.equals(s.getStatus().getReadyReplicas(), s.getSpec().getReplicas()));

  public static final WorkloadKind<DaemonSet> DAEMON_SET = new WorkloadKind<>(
      DaemonSet.class,
      d -> d.getSpec().getTemplate(),
      d -> d.getStatus() != null
          && Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration())
          && Objects.equals(d.getStatus().getUpdatedNumberScheduled(), d.getStatus().getDesiredNumberScheduled())
          && Objects.equals(d.getStatus().getNumberAvailable(), d.getStatus().getDesiredNumberScheduled()));

  public String name() {
    return type.getSimpleName();
  }

  public boolean rolledOut(W workload) {
    return rolledOut.test(workload);
  }
}
