package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.AppSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod template both workload kinds share. Only fields the App declares are set: with
 * server-side apply, every field we send becomes ours, and an empty list we send would fight
 * whoever else fills it.
 */
public final class PodTemplates {

  /** The one container's name; stable so `kubectl logs deploy/x -c app` keeps working. */
  public static final String CONTAINER = "app";

  private PodTemplates() {}

  /** The template of {@code app}'s workload, its container running {@code image}. */
  public static PodTemplateSpec of(App app, String image) {
    AppSpec spec = app.getSpec();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(AppLabels.forPods(app))
        .withAnnotations(emptyToNull(spec.getPodAnnotations()))
        .endMetadata()
        .withNewSpec()
        .withContainers(container(app, image))
        .withVolumes(orEmpty(spec.getVolumes()))
        .withImagePullSecrets(orEmpty(spec.getImagePullSecrets()))
        .withServiceAccountName(spec.getServiceAccountName())
        .endSpec()
        .build();
  }

  private static Container container(App app, String image) {
    AppSpec spec = app.getSpec();
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withCommand(orEmpty(spec.getCommand()))
        .withArgs(orEmpty(spec.getArgs()))
        .withPorts(ports(spec.getPorts()))
        .withEnv(orEmpty(spec.getEnv()))
        .withEnvFrom(orEmpty(spec.getEnvFrom()))
        .withResources(spec.getResources())
        .withReadinessProbe(spec.getReadinessProbe())
        .withLivenessProbe(spec.getLivenessProbe())
        .withVolumeMounts(orEmpty(spec.getVolumeMounts()))
        .build();
  }

  private static List<ContainerPort> ports(List<AppPort> ports) {
    if (ports == null) {
      return List.of();
    }
    // The protocol is part of the list's merge key; sending it keeps our applied state equal to
    // what the API server stores after defaulting.
    return ports.stream()
        .map(
            p ->
                new ContainerPortBuilder()
                    .withName(p.getName())
                    .withContainerPort(p.getContainerPort())
                    .withProtocol("TCP")
                    .build())
        .toList();
  }

  static <T> List<T> orEmpty(List<T> values) {
    return values == null ? new ArrayList<>() : values;
  }

  static <K, V> Map<K, V> emptyToNull(Map<K, V> values) {
    return values == null || values.isEmpty() ? null : values;
  }
}
