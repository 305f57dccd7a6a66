package dev.freshet.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Records every change of the image in the pod templates of a namespace's Deployments and
 * StatefulSets, from watches opened at a list's resource version, so no change between the list and
 * the end of the recording is missed. The pod template is what a rollout follows: counting its
 * changes, not ReplicaSets, also sees a rollout back to an earlier template (which reuses the old
 * ReplicaSet).
 *
 * <p>Workloads are named {@code Deployment/name} or {@code StatefulSet/name}; the image is the
 * first container's.
 */
public final class TemplateRecorder implements AutoCloseable {

  /** One image a workload's template named, from the moment the watch delivered it. */
  public record Seen(String image, Instant at, String resourceVersion) {}

  private final Map<String, List<Seen>> seen = new LinkedHashMap<>();
  private final List<String> watchFailures = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  private TemplateRecorder() {}

  /** Lists the namespace's Deployments and StatefulSets and watches them from that list on. */
  public static TemplateRecorder start(KubernetesClient client, String namespace) {
    var recorder = new TemplateRecorder();
    recorder.follow(
        "Deployment",
        client.apps().deployments().inNamespace(namespace),
        d -> d.getSpec().getTemplate());
    recorder.follow(
        "StatefulSet",
        client.apps().statefulSets().inNamespace(namespace),
        s -> s.getSpec().getTemplate());
    return recorder;
  }

  /** Every image the workload's template named, in order: the first one, then each change. */
  public synchronized List<String> images(String workload) {
    return seen.getOrDefault(workload, List.of()).stream().map(Seen::image).toList();
  }

  /** The same, with when each was seen. */
  public synchronized List<Seen> history(String workload) {
    return List.copyOf(seen.getOrDefault(workload, List.of()));
  }

  /** The workloads seen so far. */
  public synchronized List<String> workloads() {
    return List.copyOf(seen.keySet());
  }

  /** How many times templates changed image, over all workloads (their first image not counted). */
  public synchronized int changes() {
    return seen.values().stream().mapToInt(images -> images.size() - 1).sum();
  }

  /**
   * Why a watch ended before {@link #close()}, if one did: the recording may then miss changes, and
   * a test that relies on it must fail.
   */
  public List<String> watchFailures() {
    return List.copyOf(watchFailures);
  }

  /** The digest of a pinned reference ({@code repo:tag@sha256:…}), if it has one. */
  public static Optional<String> digestOf(String image) {
    int at = image.indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
  }

  private <W extends HasMetadata, L extends KubernetesResourceList<W>> void follow(
      String kind,
      NonNamespaceOperation<W, L, ? extends Resource<W>> workloads,
      Function<W, PodTemplateSpec> template) {
    L list = workloads.list();
    for (W workload : list.getItems()) {
      record(kind, workload, template);
    }
    var options =
        new ListOptionsBuilder()
            .withResourceVersion(list.getMetadata().getResourceVersion())
            .withAllowWatchBookmarks(true)
            .build();
    watches.add(
        workloads.watch(
            options,
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, W workload) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                  record(kind, workload, template);
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                watchFailures.add(kind + " watch closed: " + cause.getMessage());
              }
            }));
  }

  private synchronized <W extends HasMetadata> void record(
      String kind, W workload, Function<W, PodTemplateSpec> template) {
    String image = template.apply(workload).getSpec().getContainers().get(0).getImage();
    List<Seen> images =
        seen.computeIfAbsent(kind + "/" + workload.getMetadata().getName(), k -> new ArrayList<>());
    if (images.isEmpty() || !images.get(images.size() - 1).image().equals(image)) {
      images.add(new Seen(image, Instant.now(), workload.getMetadata().getResourceVersion()));
    }
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }

  /** For messages: each workload's images, one per line. */
  @Override
  public synchronized String toString() {
    var text = new StringBuilder();
    seen.forEach(
        (workload, images) -> text.append(workload).append(": ").append(images).append('\n'));
    return text.toString();
  }
}
