package dev.freshet.update;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Finishes a StatefulSet's rollback. With {@code podManagementPolicy: OrderedReady} and a rolling
 * update, a pod that never becomes Ready blocks the StatefulSet controller: putting the old
 * template back is not enough, it waits forever for the broken pod (Kubernetes' "forced rollback"
 * caveat, whose documented remedy is to delete that pod by hand). Freshet does what the
 * documentation tells a person to do: after pinning back, it deletes the StatefulSet's pods that
 * are not Ready and run a digest just rolled away from, and the controller recreates them from the
 * restored template. Other kinds need nothing: their controllers replace unavailable pods of an old
 * template on their own.
 */
public final class StuckPods {
  private final KubernetesClient client;

  public StuckPods(KubernetesClient client) {
    this.client = client;
  }

  /** Deletes {@code workload}'s not-Ready pods that run one of {@code failedDigests}. */
  public List<String> deleteAfterRollback(HasMetadata workload, List<String> failedDigests) {
    if (!(workload instanceof StatefulSet statefulSet)
        || statefulSet.getSpec().getSelector() == null
        || statefulSet.getSpec().getSelector().getMatchLabels() == null) {
      return List.of();
    }
    List<Pod> stuck =
        client
            .pods()
            .inNamespace(workload.getMetadata().getNamespace())
            .withLabels(statefulSet.getSpec().getSelector().getMatchLabels())
            .list()
            .getItems()
            .stream()
            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
            .filter(pod -> !isReady(pod))
            .filter(pod -> runsAny(pod, failedDigests))
            .toList();
    stuck.forEach(pod -> client.resource(pod).delete());
    return stuck.stream().map(pod -> pod.getMetadata().getName()).toList();
  }

  private static boolean isReady(Pod pod) {
    return Optional.ofNullable(pod.getStatus())
        .map(s -> s.getConditions())
        .orElse(List.of())
        .stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean runsAny(Pod pod, List<String> digests) {
    return pod.getSpec().getContainers().stream()
        .anyMatch(c -> digests.stream().anyMatch(d -> c.getImage().endsWith("@" + d)));
  }
}
