package dev.freshet.tracked;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.util.List;

/**
 * JOSDK's copy of a resource before its reconcile, but for tracked workloads, which are handed to
 * their reconciler as the informer caches them.
 *
 * <p>JOSDK copies each primary resource so that a reconciler changing it in place cannot change the
 * cache; it copies by writing the object as JSON and reading it back. For a tracked workload that
 * copy was the largest single cost of a reconcile: 9 % of Freshet's CPU in its first cycle over
 * 10,000 Deployments (a JFR profile of the bench). {@link TrackedWorkloadReconciler} never changes
 * the workload it is given: every write is a new object built from it (the image-only apply, the
 * status record, the merge patch that consumes a request). Apps are still copied: their reconciler
 * sets their status on the object.
 */
public final class UncopiedWorkloads implements Cloner {
  private static final List<Class<?>> TRACKED_KINDS =
      WorkloadKind.ALL.stream().<Class<?>>map(WorkloadKind::type).toList();

  private final KubernetesSerialization serialization;

  public UncopiedWorkloads(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    return TRACKED_KINDS.contains(object.getClass()) ? object : serialization.clone(object);
  }
}
