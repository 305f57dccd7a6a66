package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Apps;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The people's verbs against the testbed, run as the {@code freshet} executable parses them, with
 * the testbed's kubeconfig: what they print is what the API server holds.
 */
@WithTestbed
class CliIT {
  private static final Duration ROLLOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void statusAndHistoryShowAppsAndTrackedWorkloadsAsTheClusterHoldsThem(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    String appRepo = "cli/app-" + ns.name();
    String trackedRepo = "cli/tracked-" + ns.name();
    PushedImage first = registry.pusher().push(appRepo, "dev");
    PushedImage tracked = registry.pusher().push(trackedRepo, "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      App app = Apps.app("web");
      app.getSpec().setImage(first.reference());
      var update = new UpdateSpec();
      update.setPolicy(UpdateSpec.Policy.DIGEST);
      update.setInterval("10s");
      app.getSpec().setUpdate(update);
      client.resource(app).create();
      client
          .resource(
              new DeploymentBuilder(Workloads.deployment("worker", tracked.reference(), 1))
                  .editMetadata()
                  .addToAnnotations("freshet.dev/policy", "digest")
                  .addToAnnotations("freshet.dev/interval", "10s")
                  .endMetadata()
                  .build())
          .create();
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(
                          row(json(testbed, "status", "-n", ns.name(), "-o", "json"), "app/web")
                              .path("running")
                              .asText())
                      .isEqualTo(first.digest()));
      PushedImage second = registry.pusher().push(appRepo, "dev");

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                JsonNode rows = json(testbed, "status", "-n", ns.name(), "-o", "json");
                assertThat(row(rows, "app/web").path("running").asText())
                    .isEqualTo(second.digest());
                assertThat(row(rows, "app/web").path("state").asText()).isEqualTo("UpToDate");
                assertThat(row(rows, "deploy/worker").path("newest").asText())
                    .isEqualTo(tracked.digest());
                assertThat(row(rows, "deploy/worker").path("state").asText()).isEqualTo("UpToDate");
              });

      String table = run(testbed, 0, "status", "-n", ns.name());
      assertThat(table.lines().findFirst().orElseThrow())
          .startsWith("NAME")
          .contains("IMAGE", "RUNNING", "NEWEST", "STATE", "LAST CHANGE", "WHY");
      // Digests shortened as Docker prints IDs; the rows are the App and the tracked Deployment.
      assertThat(table)
          .contains("app/web", "deploy/worker", second.digest().substring(0, 19))
          .doesNotContain(second.digest());
      String everywhere = run(testbed, 0, "status", "-A");
      assertThat(everywhere.lines().findFirst().orElseThrow()).startsWith("NAMESPACE");
      assertThat(everywhere).contains(ns.name());

      JsonNode history = json(testbed, "history", "web", "-n", ns.name(), "-o", "json");
      assertThat(history).hasSize(2);
      assertThat(history.get(0).path("fromDigest").asText()).isEqualTo(first.digest());
      assertThat(history.get(0).path("toDigest").asText()).isEqualTo(second.digest());
      assertThat(history.get(0).path("tag").asText()).isEqualTo("dev");
      assertThat(history.get(0).path("outcome").asText()).isEqualTo("Succeeded");

      JsonNode trackedHistory =
          json(testbed, "history", "deploy/worker", "-n", ns.name(), "-o", "json");
      assertThat(trackedHistory).hasSize(1);
      assertThat(trackedHistory.get(0).path("container").asText()).isEqualTo("app");
      assertThat(trackedHistory.get(0).path("toDigest").asText()).isEqualTo(tracked.digest());

      String yaml = run(testbed, 0, "history", "app/web", "-n", ns.name(), "-o", "yaml");
      assertThat(yaml).contains("toDigest: " + second.digest(), "outcome: Succeeded");
    }
  }

  @Test
  void aTargetThatIsNotThereOrNotAKindFreshetUpdatesIsRefusedWithAMessage(
      Testbed testbed, TestNamespace ns) {
    assertThat(runErr(testbed, 1, "history", "nothing-here", "-n", ns.name()))
        .contains("app/nothing-here not found in namespace " + ns.name());
    assertThat(runErr(testbed, 2, "history", "svc/web", "-n", ns.name()))
        .contains("\"svc\" is not a kind Freshet updates");
    AppCrd.install(testbed.client());
    assertThat(runErr(testbed, 0, "status", "-n", ns.name()))
        .isEqualTo("No Apps or tracked workloads found in namespace " + ns.name() + ".\n");
  }

  private static JsonNode row(JsonNode rows, String target) {
    List<JsonNode> found = new ArrayList<>();
    rows.forEach(r -> found.add(r));
    return found.stream()
        .filter(r -> target.equals(r.path("target").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(target + " not listed in " + rows));
  }

  private static JsonNode json(Testbed testbed, String... args) throws Exception {
    return JSON.readTree(run(testbed, 0, args));
  }

  private static String run(Testbed testbed, int exitCode, String... args) {
    return execute(testbed, exitCode, args)[0];
  }

  private static String runErr(Testbed testbed, int exitCode, String... args) {
    return execute(testbed, exitCode, args)[1];
  }

  /** Runs {@code freshet args… --kubeconfig <testbed>}; returns what it printed, out and err. */
  private static String[] execute(Testbed testbed, int exitCode, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var command = new CommandLine(new Main());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(testbed.kubeconfig().toString());
    int code = command.execute(all.toArray(String[]::new));
    assertThat(code)
        .as("exit code of freshet %s; it printed %s%s", all, out, err)
        .isEqualTo(exitCode);
    return new String[] {out.toString(), err.toString()};
  }
}
