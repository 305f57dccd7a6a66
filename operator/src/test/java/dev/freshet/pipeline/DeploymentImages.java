package dev.freshet.pipeline;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** What an App's Deployment pins, and when a watch first saw it pin a given image. */
public final class DeploymentImages {
  private DeploymentImages() {}

  /** The first container's image in the Deployment's pod template. */
  public static String image(KubernetesClient client, String deployment) {
    Deployment d = client.apps().deployments().withName(deployment).get();
    return d == null ? null : image(d);
  }

  /** An image a Deployment's template named, and when the watch saw it. */
  public record Seen(String image, Instant at) {}

  /**
   * Completes with the moment a watch, opened now, saw {@code deployment}'s template name {@code
   * image}: that is when the patch reached the API server, plus the watch's small delay, so a
   * latency measured to it is an upper bound.
   */
  public static CompletableFuture<Instant> whenPinned(
      KubernetesClient client, String deployment, String image) {
    return whenImage(client, deployment, image::equals).thenApply(Seen::at);
  }

  /** Completes with the first image other than {@code current} that a watch, opened now, sees. */
  public static CompletableFuture<Seen> whenChangedFrom(
      KubernetesClient client, String deployment, String current) {
    return whenImage(client, deployment, image -> !image.equals(current));
  }

  private static CompletableFuture<Seen> whenImage(
      KubernetesClient client, String deployment, java.util.function.Predicate<String> wanted) {
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    Watch watch =
        client
            .apps()
            .deployments()
            .withName(deployment)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment d) {
                    if (wanted.test(image(d))) {
                      seen.complete(new Seen(image(d), Instant.now()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    if (cause != null) {
                      seen.completeExceptionally(cause);
                    }
                  }
                });
    seen.whenComplete((at, e) -> watch.close());
    return seen;
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
