package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The StatefulSet an App declares; the App's Service is its governing Service. */
public final class DesiredStatefulSet {

  private DesiredStatefulSet() {}

  /** {@code image}: the reference the update engine chose for the pod template. */
  public static StatefulSet of(App app, String image) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(app.getMetadata().getName())
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(AppLabels.forObjects(app))
        .endMetadata()
        .withNewSpec()
        .withReplicas(app.getSpec().getReplicas())
        .withServiceName(app.getMetadata().getName())
        .withNewSelector()
        .withMatchLabels(AppLabels.selector(app))
        .endSelector()
        .withTemplate(PodTemplates.of(app, image))
        .withVolumeClaimTemplates(claimTemplates(app.getSpec().getVolumeClaimTemplates()))
        .endSpec()
        .build();
  }

  /**
   * The API server fills apiVersion/kind and a status into stored claim templates; declaring them
   * the same way keeps the applied state equal to the stored one, so an unchanged App writes
   * nothing.
   */
  private static List<PersistentVolumeClaim> claimTemplates(List<PersistentVolumeClaim> claims) {
    if (claims == null) {
      return new ArrayList<>();
    }
    return claims.stream()
        .map(
            c ->
                new PersistentVolumeClaimBuilder(c)
                    .withApiVersion("v1")
                    .withKind("PersistentVolumeClaim")
                    .build())
        .collect(Collectors.toCollection(ArrayList::new));
  }
}
