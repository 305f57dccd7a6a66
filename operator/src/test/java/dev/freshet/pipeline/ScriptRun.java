package dev.freshet.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One pipeline step: a task script run as a process from the checkout's root, as a CI runner does.
 * Each line of its output (stdout and stderr together) is kept with the moment it was read, so a
 * test can tell when the step announced something.
 */
public final class ScriptRun {
  /** A line of output and when it arrived. */
  public record Line(Instant at, String text) {}

  private final String script;
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private int exitCode;

  private ScriptRun(String script) {
    this.script = script;
  }

  /**
   * Runs {@code script} (relative to {@code root}) with {@code env} added to this JVM's environment
   * and waits for it.
   *
   * @throws AssertionError with the script's output if it fails or outlives {@code timeout}
   */
  public static ScriptRun succeed(
      Path root, String script, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    var run = new ScriptRun(script);
    var builder =
        new ProcessBuilder("bash", root.resolve(script).toString())
            .directory(root.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    Thread reader = new Thread(() -> run.read(process), "output of " + script);
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      reader.join(5_000);
      throw new AssertionError(
          script + " did not finish within " + timeout + "; its output:\n" + run.output());
    }
    reader.join(5_000);
    run.exitCode = process.exitValue();
    if (run.exitCode != 0) {
      throw new AssertionError(
          script + " failed with exit code " + run.exitCode + "; its output:\n" + run.output());
    }
    return run;
  }

  private void read(Process process) {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(new Line(Instant.now(), line));
      }
    } catch (IOException e) {
      lines.add(new Line(Instant.now(), "(reading the output failed: " + e + ")"));
    }
  }

  /** The first line containing {@code text}. */
  public Optional<Line> firstLineContaining(String text) {
    return lines.stream().filter(l -> l.text().contains(text)).findFirst();
  }

  public String output() {
    return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return script + " (exit " + exitCode + ")";
  }
}
