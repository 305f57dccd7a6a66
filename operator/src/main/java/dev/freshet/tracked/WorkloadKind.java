package dev.freshet.tracked;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.function.Function;

/**
 * What the tracked-workload controller needs to know of each kind it follows: where the pod template
 * is. Whether its rollout is done is {@link dev.freshet.update.RolloutState}'s to say.
 */
public record WorkloadKind<W extends HasMetadata>(
    Class<W> type, Function<W, PodTemplateSpec> template) {

  public static final WorkloadKind<Deployment> DEPLOYMENT = new WorkloadKind<>(
      Deployment.class,
      d -> d.getSpec().getTemplate());

  public static final WorkloadKind<StatefulSet> STATEFUL_SET = new WorkloadKind<>(
      StatefulSet.class,
      s -> s.getSpec().getTemplate());

  public static final WorkloadKind<DaemonSet> DAEMON_SET = new WorkloadKind<>(
      DaemonSet.class,
      d -> d.getSpec().getTemplate());

  public String name() {
    return type.getSimpleName();
  }
}
