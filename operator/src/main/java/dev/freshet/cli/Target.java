package dev.freshet.cli;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a command acts on, written as kubectl writes it: an App by bare {@code NAME} or {@code
 * app/NAME}, a tracked workload as {@code deploy/NAME}, {@code sts/NAME}, {@code ds/NAME} or {@code
 * cronjob/NAME} (kubectl's long names are accepted too).
 */
public record Target(Target.Kind kind, String name) {

  /** The kinds a target may name, with the words that name them. */
  public enum Kind {
    APP(App.class, "app", "apps", "app.freshet.dev", "apps.freshet.dev"),
    DEPLOYMENT(Deployment.class, "deploy", "deployment", "deployments"),
    STATEFUL_SET(StatefulSet.class, "sts", "statefulset", "statefulsets"),
    DAEMON_SET(DaemonSet.class, "ds", "daemonset", "daemonsets"),
    CRON_JOB(CronJob.class, "cronjob", "cronjobs", "cj");

    private final Class<? extends HasMetadata> type;
    private final String[] words;

    Kind(Class<? extends HasMetadata> type, String... words) {
      this.type = type;
      this.words = words;
    }

    /** The short word kubectl prints, e.g. {@code deploy}. */
    public String word() {
      return words[0];
    }

    static Optional<Kind> of(String word) {
      String lower = word.toLowerCase(Locale.ROOT);
      return Arrays.stream(values())
          .filter(k -> Arrays.asList(k.words).contains(lower))
          .findFirst();
    }
  }

  /**
   * @throws IllegalArgumentException naming what is allowed
   */
  public static Target parse(String text) {
    String value = text == null ? "" : text.trim();
    int slash = value.indexOf('/');
    Kind kind = Kind.APP;
    String name = value;
    if (slash >= 0) {
      String word = value.substring(0, slash);
      kind =
          Kind.of(word)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "\""
                              + word
                              + "\" is not a kind Freshet updates: name an App (NAME or app/NAME)"
                              + " or deploy/NAME, sts/NAME, ds/NAME, cronjob/NAME"));
      name = value.substring(slash + 1);
    }
    if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not an object name (lower-case letters, digits, '-' and '.')");
    }
    return new Target(kind, name);
  }

  /** The object in {@code namespace}, if it exists. */
  public Optional<HasMetadata> get(KubernetesClient client, String namespace) {
    return Optional.ofNullable(resource(client, namespace).get());
  }

  /** Changes the object's metadata with a patch that names only what changed. */
  public HasMetadata edit(
      KubernetesClient client, String namespace, UnaryOperator<HasMetadata> change) {
    return resource(client, namespace).edit(change);
  }

  @SuppressWarnings("unchecked")
  private Resource<HasMetadata> resource(KubernetesClient client, String namespace) {
    return (Resource<HasMetadata>)
        client.resources(kind.type).inNamespace(namespace).withName(name);
  }

  @Override
  public String toString() {
    return kind.word() + "/" + name;
  }
}
