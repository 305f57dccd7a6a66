package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.tracked.TrackedAnnotations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freshet status}: every App and tracked workload in a namespace (or all of them), what it
 * runs, the newest image its policy allows, and whether Freshet is on its way there or why not.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Lists Apps and tracked workloads: the image, the running and newest digests, the state"
            + " and why it waits, and the last change.")
public class StatusCommand implements Callable<Integer> {

  /** The tracked kinds, in the order the table lists them after the Apps. */
  private static final List<Target.Kind> TRACKED_KINDS =
      List.of(
          Target.Kind.DEPLOYMENT,
          Target.Kind.STATEFUL_SET,
          Target.Kind.DAEMON_SET,
          Target.Kind.CRON_JOB);

  @Mixin ClusterOptions cluster;
  @Mixin Output output;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List them in every namespace.")
  boolean allNamespaces;

  @Spec CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (KubernetesClient client = cluster.client()) {
      String namespace = allNamespaces ? null : cluster.namespace(client);
      List<StatusRow> rows = new ArrayList<>();
      try {
        for (App app : list(client, App.class, namespace)) {
          rows.add(StatusRow.of(app));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        err.println(
            "The App resource (apps.freshet.dev) is not installed in this cluster;"
                + " listing tracked workloads only.");
      }
      for (Target.Kind kind : TRACKED_KINDS) {
        for (HasMetadata workload : list(client, kind.type(), namespace)) {
          if (TrackedAnnotations.isTracked(workload.getMetadata().getAnnotations())) {
            rows.add(StatusRow.of(kind, workload));
          }
        }
      }
      rows.sort(Comparator.comparing(StatusRow::namespace));
      if (rows.isEmpty() && output.format == Output.Format.table) {
        err.println(
            allNamespaces
                ? "No Apps or tracked workloads found."
                : "No Apps or tracked workloads found in namespace " + namespace + ".");
        return 0;
      }
      List<Output.Column<StatusRow>> columns = new ArrayList<>();
      if (allNamespaces) {
        columns.add(new Output.Column<>("NAMESPACE", StatusRow::namespace));
      }
      columns.add(new Output.Column<>("NAME", StatusRow::target));
      columns.add(new Output.Column<>("IMAGE", StatusRow::image));
      columns.add(new Output.Column<>("RUNNING", r -> Digests.shorten(r.running())));
      columns.add(new Output.Column<>("NEWEST", r -> Digests.shorten(r.newest())));
      columns.add(new Output.Column<>("STATE", StatusRow::state));
      columns.add(new Output.Column<>("LAST CHANGE", r -> age(r.lastChange())));
      columns.add(new Output.Column<>("WHY", r -> Digests.shortenAll(r.why())));
      output.print(out, rows, columns);
      return 0;
    } catch (KubernetesClientException e) {
      err.println("freshet status: the API server refused: " + e.getMessage());
      return 1;
    }
  }

  private static <T extends HasMetadata> List<T> list(
      KubernetesClient client, Class<T> type, String namespace) {
    return namespace == null
        ? client.resources(type).inAnyNamespace().list().getItems()
        : client.resources(type).inNamespace(namespace).list().getItems();
  }

  /** kubectl's AGE: 45s, 12m, 3h, 2d. */
  private String age(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      Duration age = Duration.between(Instant.parse(timestamp), clock.instant());
      if (age.isNegative()) {
        return "0s";
      }
      if (age.toMinutes() < 2) {
        return age.toSeconds() + "s";
      }
      if (age.toHours() < 2) {
        return age.toMinutes() + "m";
      }
      if (age.toDays() < 2) {
        return age.toHours() + "h";
      }
      return age.toDays() + "d";
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }
}
