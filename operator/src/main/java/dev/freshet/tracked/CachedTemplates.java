package dev.freshet.tracked;

import dev.freshet.update.CachedObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;

/**
 * What a tracked workload's informer keeps of its pod template: the containers' names and images,
 * and where their pull credentials come from ({@code imagePullSecrets}, {@code
 * serviceAccountName}). The reconciler reads nothing else of the template, and writes only the
 * image fields through a server-side apply of its own partial object, so the cached template is
 * never sent back. Environment, volumes, probes, resources and affinity are most of a real
 * workload's size; a fleet of thousands would otherwise hold them all for nobody.
 */
final class CachedTemplates {
  private CachedTemplates() {}

  /**
   * An informer's store for workloads of {@code kind}, pruned as {@link CachedObjects} and here.
   */
  static <W extends HasMetadata> ItemStore<W> store(WorkloadKind<W> kind) {
    return CachedObjects.storeOfImageOwners(
        TrackedStatus.PREFIX, workload -> slimmed(kind, workload));
  }

  /** {@code workload} with its pod template cut to what is read; changes it and returns it. */
  static <W extends HasMetadata> W slimmed(WorkloadKind<W> kind, W workload) {
    // The API server requires a pod template of every kind Freshet follows.
    PodTemplateSpec template = kind.template().apply(workload);
    if (template == null || template.getSpec() == null) {
      return workload;
    }
    PodSpec full = template.getSpec();
    PodSpec read = new PodSpec();
    read.setContainers(namesAndImages(full.getContainers()));
    read.setInitContainers(namesAndImages(full.getInitContainers()));
    read.setImagePullSecrets(full.getImagePullSecrets());
    read.setServiceAccountName(full.getServiceAccountName());
    template.setMetadata(null);
    template.setSpec(read);
    return workload;
  }

  private static List<Container> namesAndImages(List<Container> containers) {
    if (containers == null) {
      return null;
    }
    return containers.stream()
        .map(
            c -> {
              Container kept = new Container();
              kept.setName(c.getName());
              kept.setImage(c.getImage());
              return kept;
            })
        .toList();
  }
}
