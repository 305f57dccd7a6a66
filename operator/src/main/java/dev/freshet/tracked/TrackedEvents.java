package dev.freshet.tracked;

import dev.freshet.update.ImageFieldApplier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of a workload kind's informer events reach the tracked reconciler. Most workloads in a
 * cluster carry no Freshet annotation, and each status change of each of them (a rollout, a pod
 * that became ready, a scale) would otherwise cost a reconcile that finds nothing to do.
 *
 * <p>An event passes when the workload, before or after it, concerns Freshet: it has an annotation
 * under {@code freshet.dev/} or {@code status.freshet.dev/}, or an entry of the manager an older
 * Freshet wrote its status with. Those are every case in which the reconcile acts: a policy added
 * or removed, a record left to clear, a person's request on a workload no longer tracked.
 */
final class TrackedEvents {
  private TrackedEvents() {}

  static <W extends HasMetadata> OnAddFilter<W> onAdd() {
    return TrackedEvents::concernsFreshet;
  }

  static <W extends HasMetadata> OnUpdateFilter<W> onUpdate() {
    return (now, before) -> concernsFreshet(now) || concernsFreshet(before);
  }

  static boolean concernsFreshet(HasMetadata workload) {
    Map<String, String> annotations = workload.getMetadata().getAnnotations();
    if (annotations != null
        && annotations.keySet().stream()
            .anyMatch(
                key ->
                    key.startsWith(TrackedAnnotations.PREFIX)
                        || key.startsWith(TrackedStatus.PREFIX))) {
      return true;
    }
    return Optional.ofNullable(workload.getMetadata().getManagedFields()).orElse(List.of()).stream()
        .anyMatch(entry -> ImageFieldApplier.LEGACY_STATUS_MANAGER.equals(entry.getManager()));
  }
}
