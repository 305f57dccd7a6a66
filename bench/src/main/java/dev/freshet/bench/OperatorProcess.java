package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator under test as a process of its own, so its memory and CPU are its alone: started
 * from a command line in which {@code {kubeconfig}}, {@code {namespace}}, {@code {registry}},
 * {@code {receiver}} and {@code {http}} are replaced, through {@code exec} so the PID measured is
 * the operator's and not a shell's. Its output goes to a log file.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final long startNanos = System.nanoTime();

  private OperatorProcess(Process process) {
    this.process = process;
  }

  static OperatorProcess start(String commandTemplate, Map<String, String> values, Path log)
      throws IOException {
    String command = commandTemplate;
    for (var e : values.entrySet()) {
      command = command.replace("{" + e.getKey() + "}", e.getValue());
    }
    var builder =
        new ProcessBuilder(List.of("sh", "-c", "exec " + command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new OperatorProcess(builder.start());
  }

  ProcessUsage usage() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the operator exited with " + process.exitValue() + "; see its log");
    }
    return ProcessUsage.of(process.pid());
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
