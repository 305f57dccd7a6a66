package dev.freshet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The operator under test as a process of its own, so its memory and CPU are its alone: started
 * from a command line in which {@code {kubeconfig}}, {@code {namespace}}, {@code {registry}},
 * {@code {receiver}} and {@code {http}} are replaced, through {@code exec} so the PID measured is
 * the operator's and not a shell's. Its output goes to a log file.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int httpPort;
  private final long startNanos = System.nanoTime();
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  /**
   * Starts the command with {@code environment} added to the bench's own; {@code values} must name
   * the {@code http} port.
   */
  static OperatorProcess start(
      String commandTemplate, Map<String, String> values, Map<String, String> environment, Path log)
      throws IOException {
    String command = commandTemplate;
    for (var e : values.entrySet()) {
      command = command.replace("{" + e.getKey() + "}", e.getValue());
    }
    var builder =
        new ProcessBuilder(List.of("sh", "-c", "exec " + command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    return new OperatorProcess(builder.start(), Integer.parseInt(values.get("http")));
  }

  /**
   * The writes a Freshet process says it sent the API server ({@code
   * freshet_kubernetes_writes_total} on its metrics port); a peer serves no such counter.
   */
  ApiWrites freshetWrites() throws IOException, InterruptedException {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return ApiWrites.parseFreshet(text);
  }

  ProcessUsage usage() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the operator exited with " + process.exitValue() + "; see its log");
    }
    return ProcessUsage.of(process.pid());
  }

  /** The live heap after a full collection, when the operator is a JVM that lets jcmd attach. */
  OptionalLong liveHeapBytes() throws IOException, InterruptedException {
    return LiveHeap.bytes(process.pid());
  }

  double secondsSinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(
        Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
