package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.tracked.TrackedAnnotations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code freshet hold} and {@code freshet resume} act on, named as kubectl names it: {@code
 * deploy/NAME}, {@code sts/NAME}, {@code ds/NAME} for a tracked workload, {@code app/NAME} or a
 * bare {@code NAME} for an App; and where, with kubectl's {@code -n}, {@code --kubeconfig} and
 * {@code --context}. Both commands only set or remove annotations; the operator acts on them.
 */
final class HoldTarget {
  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description =
          "app/NAME or NAME (an App), deploy/NAME, sts/NAME or ds/NAME (a tracked workload).")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace; default: the kubeconfig context's.")
  String namespace;

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig; default: $KUBECONFIG or ~/.kube/config.")
  File kubeconfig;

  @Option(names = "--context", description = "Kubeconfig context; default: the current one.")
  String context;

  /** The kinds by the names kubectl accepts for them. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS = kinds();

  private static Map<String, Class<? extends HasMetadata>> kinds() {
    Map<String, Class<? extends HasMetadata>> kinds = new LinkedHashMap<>();
    for (String n : new String[] {"app", "apps", "app.freshet.dev", "apps.freshet.dev"}) {
      kinds.put(n, App.class);
    }
    for (String n : new String[] {"deploy", "deployment", "deployments"}) {
      kinds.put(n, Deployment.class);
    }
    for (String n : new String[] {"sts", "statefulset", "statefulsets"}) {
      kinds.put(n, StatefulSet.class);
    }
    for (String n : new String[] {"ds", "daemonset", "daemonsets"}) {
      kinds.put(n, DaemonSet.class);
    }
    return kinds;
  }

  /**
   * Applies {@code annotations} (a null value removes one) with a JSON merge patch and returns what
   * was patched, as {@code kind/name in namespace}.
   *
   * @throws IllegalArgumentException when NAME names no kind Freshet follows
   * @throws KubernetesClientException when the API server refuses (not found, forbidden)
   */
  String annotate(Map<String, String> annotations) throws IOException {
    int slash = name.indexOf('/');
    String kindName =
        slash < 0 ? "app" : name.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
    String objectName = slash < 0 ? name : name.substring(slash + 1);
    Class<? extends HasMetadata> kind = KINDS.get(kindName);
    if (kind == null || objectName.isEmpty()) {
      throw new IllegalArgumentException(
          "\""
              + name
              + "\" names no workload Freshet follows: write app/NAME (or NAME), deploy/NAME,"
              + " sts/NAME or ds/NAME");
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config()).build()) {
      String ns = namespace != null ? namespace : client.getNamespace();
      String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations)));
      client
          .resources(kind)
          .inNamespace(ns == null ? "default" : ns)
          .withName(objectName)
          .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), patch);
      return kindName + "/" + objectName + " in namespace " + (ns == null ? "default" : ns);
    }
  }

  private Config config() throws IOException {
    if (kubeconfig != null) {
      return Config.fromKubeconfig(
          context, Files.readString(kubeconfig.toPath()), kubeconfig.getPath());
    }
    return Config.autoConfigure(context);
  }

  /** Runs one of the two commands: prints what was done, or why not, and the exit code. */
  static int run(String done, HoldTarget target, Map<String, String> annotations) {
    try {
      System.out.println(target.annotate(annotations) + " " + done);
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("freshet: " + e.getMessage());
      return 2;
    } catch (KubernetesClientException e) {
      System.err.println(
          "freshet: " + (e.getCode() == 404 ? target.name + " not found" : e.getMessage()));
      return 1;
    }
  }

  /** The annotation a hold is set by, for both commands. */
  static final String HOLD = TrackedAnnotations.HOLD;

  static final String RESUME = TrackedAnnotations.RESUME;
}
