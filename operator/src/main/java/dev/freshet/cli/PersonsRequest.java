package dev.freshet.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a person's verb asks the operator for something: it sets or removes annotations on the App or
 * tracked workload (a JSON merge patch naming only them) and the operator acts on them, so the
 * request lives in the API server and any replica, now or after a restart, carries it out.
 */
final class PersonsRequest {

  private PersonsRequest() {}

  /**
   * Applies {@code annotations} (a null value removes one) to {@code target}; prints what was done
   * or why not, and returns the exit code: 0 done, 1 not found or refused, 2 a mistyped target.
   */
  static int annotate(
      CommandSpec spec,
      ClusterOptions cluster,
      String target,
      String done,
      Map<String, String> annotations) {
    String verb = "freshet " + spec.name();
    Target what;
    try {
      what = Target.parse(target);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(verb + ": " + e.getMessage());
      return 2;
    }
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      if (what.get(client, namespace).isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(verb + ": " + what + " not found in namespace " + namespace);
        return 1;
      }
      String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations)));
      client
          .resources(what.kind().type())
          .inNamespace(namespace)
          .withName(what.name())
          .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), patch);
      spec.commandLine().getOut().println(what + " in namespace " + namespace + " " + done);
      return 0;
    } catch (KubernetesClientException e) {
      spec.commandLine().getErr().println(verb + ": the API server refused: " + e.getMessage());
      return 1;
    }
  }
}
