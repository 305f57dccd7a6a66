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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Records every change of the image in the pod templates of a namespace's Deployments and
 * StatefulSets, from watches opened at a list's resource version, so no change between the list and
 * the end of the recording is missed. The pod template is what a rollout follows: counting its
 * changes, not ReplicaSets, also sees a rollout back to an earlier template (which reuses the old
 * ReplicaSet).
 *
 * <p>A watch answered {@code 410 Gone} (its resource version expired: etcd compacted, the apiserver
 * restarted) starts again from a new list. What changed while it was gone shows in each workload's
 * {@code metadata.generation}, which every template change raises by one: changes that the new list
 * cannot show one by one are counted as {@link #unseenChanges()}, for a test to assert that its
 * recording has no hole.
 *
 * <p>Workloads are named {@code Deployment/name} or {@code StatefulSet/name}; the image is the
 * first container's.
 */
public final class TemplateRecorder implements AutoCloseable {

  /** One image a workload's template named, from the moment the watch delivered it. */
  public record Seen(String image, Instant at, String resourceVersion) {}

  /**
   * A workload as a watch delivered it: {@code previousImage} is the image its template named
   * before ({@code null} for the first sight), equal to {@code image} when only something else
   * changed (its status, say).
   */
  public record Sighting(String workload, HasMetadata object, String previousImage, String image) {

    public boolean imageChanged() {
      return previousImage != null && !previousImage.equals(image);
    }
  }

  private final Map<String, List<Seen>> seen = new LinkedHashMap<>();
  private final List<String> watchFailures = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<Consumer<Sighting>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Long> generations = new HashMap<>();
  private final AtomicInteger expiredWatches = new AtomicInteger();
  private int unseenChanges;
  private volatile boolean closed;

  private TemplateRecorder() {}

  /** Lists the namespace's Deployments and StatefulSets and watches them from that list on. */
  public static TemplateRecorder start(KubernetesClient client, String namespace) {
    var recorder = new TemplateRecorder();
    recorder.follow(
        "Deployment",
        client.apps().deployments().inNamespace(namespace),
        d -> d.getSpec().getTemplate(),
        false);
    recorder.follow(
        "StatefulSet",
        client.apps().statefulSets().inNamespace(namespace),
        s -> s.getSpec().getTemplate(),
        false);
    return recorder;
  }

  /**
   * Calls {@code listener} with every workload event from now on, on the watch's thread, after the
   * recording took it in; a test can act at the moment a template changes (kill the operator right
   * after its patch, say).
   */
  public void onSighting(Consumer<Sighting> listener) {
    listeners.add(listener);
  }

  /** The image the workload's template names now, as far as the recording knows. */
  public synchronized Optional<String> currentImage(String workload) {
    List<Seen> images = seen.getOrDefault(workload, List.of());
    return images.isEmpty() ? Optional.empty() : Optional.of(images.get(images.size() - 1).image());
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

  /** How many times a watch was answered {@code 410 Gone} and started again from a list. */
  public int expiredWatches() {
    return expiredWatches.get();
  }

  /**
   * Template changes the recording may have missed: spec changes that happened while a watch was
   * gone, beyond the one the new list shows.
   */
  public synchronized int unseenChanges() {
    return unseenChanges;
  }

  /** The digest of a pinned reference ({@code repo:tag@sha256:…}), if it has one. */
  public static Optional<String> digestOf(String image) {
    int at = image.indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
  }

  private <W extends HasMetadata, L extends KubernetesResourceList<W>> void follow(
      String kind,
      NonNamespaceOperation<W, L, ? extends Resource<W>> workloads,
      Function<W, PodTemplateSpec> template,
      boolean resumed) {
    L list = workloads.list();
    for (W workload : list.getItems()) {
      record(kind, workload, template, resumed);
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
                  record(kind, workload, template, false);
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                if (closed) {
                  return;
                }
                if (cause.isHttpGone()) {
                  expiredWatches.incrementAndGet();
                  resume(kind, workloads, template);
                } else {
                  watchFailures.add(kind + " watch closed: " + cause.getMessage());
                }
              }
            }));
  }

  /** Lists and watches again after a 410, retrying while the apiserver does not answer. */
  private <W extends HasMetadata, L extends KubernetesResourceList<W>> void resume(
      String kind,
      NonNamespaceOperation<W, L, ? extends Resource<W>> workloads,
      Function<W, PodTemplateSpec> template) {
    var resuming =
        new Thread(
            () -> {
              for (int attempt = 0; !closed; attempt++) {
                try {
                  follow(kind, workloads, template, true);
                  return;
                } catch (RuntimeException e) {
                  if (attempt == 300) {
                    watchFailures.add(kind + " watch not resumed: " + e.getMessage());
                    return;
                  }
                  try {
                    Thread.sleep(200);
                  } catch (InterruptedException interrupted) {
                    return;
                  }
                }
              }
            },
            kind + "-watch-resume");
    resuming.setDaemon(true);
    resuming.start();
  }

  private <W extends HasMetadata> void record(
      String kind, W workload, Function<W, PodTemplateSpec> template, boolean afterGap) {
    String image = template.apply(workload).getSpec().getContainers().get(0).getImage();
    String key = kind + "/" + workload.getMetadata().getName();
    String previous;
    synchronized (this) {
      List<Seen> images = seen.computeIfAbsent(key, k -> new ArrayList<>());
      previous = images.isEmpty() ? null : images.get(images.size() - 1).image();
      long generation = Optional.ofNullable(workload.getMetadata().getGeneration()).orElse(0L);
      Long before = generations.put(key, generation);
      if (afterGap && before != null) {
        long shown = image.equals(previous) ? 0 : 1;
        unseenChanges += (int) Math.max(0, generation - before - shown);
      }
      if (!image.equals(previous)) {
        images.add(new Seen(image, Instant.now(), workload.getMetadata().getResourceVersion()));
      }
    }
    var sighting = new Sighting(key, workload, previous, image);
    listeners.forEach(listener -> listener.accept(sighting));
  }

  @Override
  public void close() {
    closed = true;
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
