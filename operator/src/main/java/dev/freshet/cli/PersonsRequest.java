package dev.freshet.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a person's verb asks the operator for something: it sets or removes annotations on the App or
 * tracked workload (a JSON merge patch naming only them) and the operator acts on them, so the
 * request lives in the API server and any replica, now or after a restart, carries it out.
 */
final class PersonsRequest {

  private PersonsRequest() {}

  /** What a verb makes of the object as the API server holds it now. */
  sealed interface Answer {
    /** Write {@code annotations} (a null value removes one) and print {@code done}. */
    record Write(Map<String, String> annotations, String done) implements Answer {}

    /** Write nothing: {@code why} is printed and the command fails. */
    record Refuse(String why) implements Answer {}
  }

  /** Writes {@code annotations} whatever the object holds, and prints {@code done}. */
  static int annotate(
      CommandSpec spec,
      ClusterOptions cluster,
      String target,
      String done,
      Map<String, String> annotations) {
    return ask(spec, cluster, target, object -> new Answer.Write(annotations, done));
  }

  /**
   * Reads {@code target}, lets {@code answer} decide from it what to write, writes it; prints what
   * was done or why not, and returns the exit code: 0 done, 1 not found or refused, 2 a mistyped
   * target.
   */
  static int ask(
      CommandSpec spec,
      ClusterOptions cluster,
      String target,
      Function<HasMetadata, Answer> answer) {
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
      var object = what.get(client, namespace);
      if (object.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(verb + ": " + what + " not found in namespace " + namespace);
        return 1;
      }
      Answer decided = answer.apply(object.get());
      if (decided instanceof Answer.Refuse refuse) {
        spec.commandLine()
            .getErr()
            .println(verb + ": " + what + " in namespace " + namespace + ": " + refuse.why());
        return 1;
      }
      Answer.Write write = (Answer.Write) decided;
      String patch =
          Serialization.asJson(Map.of("metadata", Map.of("annotations", write.annotations())));
      client
          .resources(what.kind().type())
          .inNamespace(namespace)
          .withName(what.name())
          .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), patch);
      spec.commandLine().getOut().println(what + " in namespace " + namespace + " " + write.done());
      return 0;
    } catch (KubernetesClientException e) {
      spec.commandLine().getErr().println(verb + ": the API server refused: " + e.getMessage());
      return 1;
    }
  }
}
