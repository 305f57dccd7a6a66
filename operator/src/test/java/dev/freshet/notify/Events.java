package dev.freshet.notify;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/** Objects for Events in unit tests: only their kind and metadata matter to a notifier. */
final class Events {
  private Events() {}

  static HasMetadata deployment(String name, Map<String, String> annotations) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace("team-a")
        .withName(name)
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }
}
