package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidReferenceException;
import dev.freshet.tracked.TrackedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freshet history TARGET}: the rollouts Freshet made, newest first, as its record in the API
 * server keeps them (an App's {@code status.history}; a tracked workload's {@code
 * status.freshet.dev/history} annotation).
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Shows the rollouts Freshet made for an App or a tracked workload, newest first.")
public class HistoryCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;
  @Mixin Output output;

  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "An App (NAME or app/NAME), or deploy/NAME, sts/NAME, ds/NAME, cronjob/NAME.")
  String target;

  @Spec CommandSpec spec;

  /**
   * One rollout, in one shape for Apps and tracked workloads.
   *
   * @param container the container it changed (tracked workloads; an App has one)
   */
  public record Rollout(
      String startedAt,
      String container,
      String tag,
      String fromDigest,
      String toDigest,
      String outcome,
      String finishedAt,
      String message) {}

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Target what;
    try {
      what = Target.parse(target);
    } catch (IllegalArgumentException e) {
      err.println("freshet history: " + e.getMessage());
      return 2;
    }
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      Optional<HasMetadata> object = what.get(client, namespace);
      if (object.isEmpty()) {
        err.println("freshet history: " + what + " not found in namespace " + namespace);
        return 1;
      }
      List<Rollout> rollouts = rollouts(object.get());
      if (rollouts.isEmpty() && output.format == Output.Format.table) {
        err.println("No rollouts recorded for " + what + " in namespace " + namespace + ".");
        return 0;
      }
      output.print(
          out,
          rollouts,
          List.of(
              new Output.Column<>("STARTED", Rollout::startedAt),
              new Output.Column<>("CONTAINER", Rollout::container),
              new Output.Column<>("TAG", Rollout::tag),
              new Output.Column<>("FROM", r -> Digests.shorten(r.fromDigest())),
              new Output.Column<>("TO", r -> Digests.shorten(r.toDigest())),
              new Output.Column<>("OUTCOME", Rollout::outcome),
              new Output.Column<>("FINISHED", Rollout::finishedAt),
              new Output.Column<>("MESSAGE", r -> Digests.shortenAll(r.message()))));
      return 0;
    } catch (KubernetesClientException e) {
      err.println("freshet history: the API server refused: " + e.getMessage());
      return 1;
    }
  }

  static List<Rollout> rollouts(HasMetadata object) {
    List<Rollout> rollouts = new ArrayList<>();
    if (object instanceof App app) {
      if (app.getStatus() != null && app.getStatus().getHistory() != null) {
        for (HistoryEntry entry : app.getStatus().getHistory()) {
          rollouts.add(
              new Rollout(
                  entry.getStartedAt(),
                  null,
                  entry.getTag(),
                  entry.getFromDigest(),
                  entry.getToDigest(),
                  entry.getOutcome(),
                  entry.getFinishedAt(),
                  entry.getMessage()));
        }
      }
      return rollouts;
    }
    String history =
        Optional.ofNullable(object.getMetadata().getAnnotations())
            .map(a -> a.get(TrackedStatus.HISTORY))
            .orElse(null);
    if (history == null) {
      return rollouts;
    }
    // Each line: "<time> <container>=<image>", as the tracked status writer records a change.
    for (String line : history.split("\n")) {
      String[] parts = line.split(" ", 2);
      if (parts.length < 2 || !parts[1].contains("=")) {
        continue;
      }
      String container = parts[1].substring(0, parts[1].indexOf('='));
      String tag = null;
      String digest = null;
      try {
        ImageReference image = ImageReference.parse(parts[1].substring(container.length() + 1));
        tag = image.tag().orElse(null);
        digest = image.digest().map(Object::toString).orElse(null);
      } catch (InvalidReferenceException e) {
        // An entry written by hand: shown with its time and container, without image parts.
      }
      rollouts.add(new Rollout(parts[0], container, tag, null, digest, null, null, null));
    }
    return rollouts;
  }
}
