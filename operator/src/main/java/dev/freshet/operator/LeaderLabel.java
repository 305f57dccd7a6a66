package dev.freshet.operator;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the leader's pod with {@value #LABEL}{@code =true}, so the webhook Service (which selects
 * it) sends every webhook to the replica that reconciles: a standby has no subscriptions, and a
 * hint sent to it would trigger nothing. A replica clears its own label when it starts, and a
 * leader that loses its lease exits, so at most one pod carries it for long.
 */
final class LeaderLabel {
  static final String LABEL = "freshet.dev/leader";
  private static final Logger log = LoggerFactory.getLogger(LeaderLabel.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;

  LeaderLabel(KubernetesClient client, String namespace, String pod) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
  }

  LeaderCallbacks callbacks() {
    set(null);
    return new LeaderCallbacks(() -> set("true"), () -> set(null), leader -> {});
  }

  private void set(String value) {
    String patch =
        "{\"metadata\":{\"labels\":{\""
            + LABEL
            + "\":"
            + (value == null ? "null" : "\"" + value + "\"")
            + "}}}";
    try {
      // Patched through a stub, not withName(pod): fabric8 would GET the pod first, and the
      // installed Role grants only patch on pods.
      client
          .pods()
          .inNamespace(namespace)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(pod)
                  .withNamespace(namespace)
                  .endMetadata()
                  .build())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      // Only a replica told its pod's name (POD_NAME) labels it: without the label the webhook
      // Service has no endpoint, which a person must hear of.
      log.warn("could not label pod {}/{}: {}", namespace, pod, e.getMessage());
    }
  }
}
