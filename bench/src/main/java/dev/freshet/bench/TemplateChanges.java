package dev.freshet.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every change of a Deployment's pod-template image in a namespace, with the moment a watch saw it:
 * the patch's time plus the watch's delay, so latencies measured to it are upper bounds.
 */
final class TemplateChanges implements AutoCloseable {
  /** Deployment {@code name} was seen to pin {@code image} at {@code at}. */
  record Change(String name, String image, Instant at) {}

  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<Deployment> informer;

  private TemplateChanges(KubernetesClient client, String namespace) {
    this.informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {}

                  @Override
                  public void onUpdate(Deployment before, Deployment after) {
                    String image = image(after);
                    if (!image.equals(image(before))) {
                      changes.add(new Change(after.getMetadata().getName(), image, Instant.now()));
                    }
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknownState) {}
                });
  }

  static TemplateChanges watch(KubernetesClient client, String namespace) {
    return new TemplateChanges(client, namespace);
  }

  List<Change> snapshot() {
    return List.copyOf(changes);
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Override
  public void close() {
    informer.close();
  }
}
