package dev.freshet.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Option;

/**
 * Which cluster and namespace a command acts on, with kubectl's options and defaults: {@code
 * --kubeconfig} (else {@code KUBECONFIG} or {@code ~/.kube/config}, or the pod's service account),
 * {@code --context} (else the kubeconfig's current one), {@code -n} (else the context's namespace,
 * else {@code default}). A picocli mixin, shared by the commands that act on objects.
 */
public class ClusterOptions {

  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file.")
  File kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      description = "The namespace; the context's namespace when not given.")
  String namespace;

  /** A client for the chosen cluster and context; the caller closes it. */
  public KubernetesClient client() {
    Config config;
    if (kubeconfig == null) {
      config = Config.autoConfigure(context);
    } else {
      try {
        config =
            Config.fromKubeconfig(
                context, Files.readString(kubeconfig.toPath()), kubeconfig.getPath());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
      }
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The namespace given, or the context's, or {@code default}. */
  public String namespace(KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null ? "default" : fromContext;
  }
}
