package dev.freshet.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Every Deployment's pod-template image in a namespace, kept current by a watch, with the moment
 * the watch saw each change (System.nanoTime): the patch's time plus the watch's delay, so
 * latencies measured to it are upper bounds. One watch instead of listing thousands of objects
 * every tenth of a second.
 */
final class TemplateWatch implements AutoCloseable {
  /** A Deployment's image and when this watch saw it become that. */
  record Seen(String image, long atNanos) {}

  private final Map<String, Seen> current = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Deployment> informer;

  TemplateWatch(KubernetesClient client, String namespace) {
    this.informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    seen(d);
                  }

                  @Override
                  public void onUpdate(Deployment before, Deployment after) {
                    if (!image(after).equals(image(before))) {
                      seen(after);
                    }
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknownState) {
                    current.remove(d.getMetadata().getName());
                  }
                });
  }

  private void seen(Deployment d) {
    current.put(d.getMetadata().getName(), new Seen(image(d), System.nanoTime()));
  }

  /** How many Deployments' (name, image) satisfy {@code test}. */
  long count(BiPredicate<String, String> test) {
    return current.entrySet().stream()
        .filter(e -> test.test(e.getKey(), e.getValue().image()))
        .count();
  }

  /**
   * How many Deployments the controller-manager has not caught up with: a spec it has not observed
   * yet, or a rollout it has not finished.
   */
  long unsettled() {
    return informer.getStore().list().stream()
        .filter(
            d ->
                d.getStatus() == null
                    || !java.util.Objects.equals(
                        d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration())
                    || !java.util.Objects.equals(
                        d.getStatus().getUpdatedReplicas() == null
                            ? 0
                            : d.getStatus().getUpdatedReplicas(),
                        d.getSpec().getReplicas()))
        .count();
  }

  Map<String, Seen> snapshot() {
    return Map.copyOf(current);
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Override
  public void close() {
    informer.close();
  }
}
