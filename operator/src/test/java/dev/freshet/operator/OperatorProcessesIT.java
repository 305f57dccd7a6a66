package dev.freshet.operator;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.AppCrd;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two `freshet operator` processes share a Lease: only the leader reconciles, and when it is killed
 * the other takes over within 15 seconds.
 */
@WithTestbed
class OperatorProcessesIT {

  private static final String RECONCILES =
      "operator_sdk_controllers_execution_reconcile_seconds_count";

  private final HttpClient http = HttpClient.newHttpClient();
  private FreshetProcess first;
  private FreshetProcess second;

  @AfterEach
  void stopProcesses() {
    if (first != null) {
      first.process.destroyForcibly();
    }
    if (second != null) {
      second.process.destroyForcibly();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndASurvivorTakesOver(
      KubernetesClient client, TestNamespace ns, Testbed testbed) throws Exception {
    AppCrd.install(testbed.client());
    first = FreshetProcess.start("first", ns, testbed);
    second = FreshetProcess.start("second", ns, testbed);
    // Two JVMs starting at once on a loaded 2-core machine can take most of a minute each.
    await().atMost(Duration.ofSeconds(150)).until(() -> ready(first) && ready(second));

    client.resource(app("one")).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> isReady(client, "one"));

    String holder =
        client.leases().withName("freshet-operator").get().getSpec().getHolderIdentity();
    FreshetProcess leader = holder.startsWith("first-") ? first : second;
    FreshetProcess follower = leader == first ? second : first;
    assertThat(reconciles(leader)).isPositive();
    assertThat(reconciles(follower)).isZero();

    leader.process.destroyForcibly();
    client.resource(app("two")).create();

    await().atMost(Duration.ofSeconds(15)).until(() -> isReady(client, "two"));
    assertThat(reconciles(follower)).isPositive();
  }

  private boolean ready(FreshetProcess freshet) {
    try {
      return get(freshet, "/readyz").statusCode() == 200;
    } catch (IOException e) { // not listening yet, or too slow to answer: not ready
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long reconciles(FreshetProcess freshet) throws Exception {
    return get(freshet, "/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(RECONCILES))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private HttpResponse<String> get(FreshetProcess freshet, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + freshet.port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean isReady(KubernetesClient client, String name) {
    App app = client.resources(App.class).withName(name).get();
    return app != null
        && app.getStatus() != null
        && app.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** The freshet executable as `bin/freshet` runs it: the module's jar over its dependencies. */
  private record FreshetProcess(Process process, int port) {

    static FreshetProcess start(String name, TestNamespace ns, Testbed testbed) throws IOException {
      int port = freePort();
      Path jar;
      try (var jars = Files.list(Path.of("target"))) {
        jar =
            jars.filter(p -> p.getFileName().toString().matches("freshet-operator-.*\\.jar"))
                .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("package the operator module first"));
      }
      var command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              jar + ":" + Path.of("target", "lib") + "/*",
              "dev.freshet.cli.Main",
              "operator",
              "--kubeconfig=" + testbed.kubeconfig(),
              "--namespace=" + ns.name(),
              "--leader-election",
              "--lease-namespace=" + ns.name(),
              "--lease-duration=6s",
              "--lease-renew-deadline=4s",
              "--lease-retry-period=1s",
              "--http-address=127.0.0.1",
              "--http-port=" + port);
      var builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("POD_NAME", name);
      builder.redirectOutput(
          Path.of("target", "operator-" + ns.name() + "-" + name + ".log").toFile());
      return new FreshetProcess(builder.start(), port);
    }

    private static int freePort() throws IOException {
      try (var socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
