package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** The Deployment an App declares. */
public final class DesiredDeployment {

  private DesiredDeployment() {}

  static int progressDeadline(App app) {
    var update = app.getSpec().getUpdate();
    return update == null || update.getProgressDeadlineSeconds() == null
        ? 600
        : update.getProgressDeadlineSeconds();
  }

  /** {@code image}: the reference the update engine chose for the pod template. */
  public static Deployment of(App app, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(app.getMetadata().getName())
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(AppLabels.forObjects(app))
        .endMetadata()
        .withNewSpec()
        .withReplicas(app.getSpec().getReplicas())
        // The health gate of a rollout: past this deadline Freshet rolls back (the update engine's
        // health gate).
        .withProgressDeadlineSeconds(progressDeadline(app))
        .withNewSelector()
        .withMatchLabels(AppLabels.selector(app))
        .endSelector()
        .withTemplate(PodTemplates.of(app, image))
        .endSpec()
        .build();
  }
}
