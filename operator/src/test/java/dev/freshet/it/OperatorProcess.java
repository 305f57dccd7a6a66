package dev.freshet.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code freshet operator} as an OS process of its own, the way {@code bin/freshet} runs it: the
 * module's packaged jar over its copied dependencies (the package phase runs before the integration
 * tests). Its output is appended to a log file under {@code target/}, one header line per start.
 */
public final class OperatorProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final Process process;
  private final int httpPort;

  private OperatorProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  /**
   * Starts {@code freshet operator} with its HTTP endpoints on a free loopback port and {@code
   * arguments} after them.
   */
  public static OperatorProcess start(Path log, List<String> arguments) {
    return start(log, List.of(), arguments);
  }

  /** The same, with options for the JVM, such as a class-data sharing archive. */
  public static OperatorProcess start(Path log, List<String> jvmOptions, List<String> arguments) {
    return start(log, jvmOptions, arguments, Map.of());
  }

  /**
   * The same, with variables added to the environment ({@code POD_NAME}, which names a replica in
   * its leader-election Lease).
   */
  public static OperatorProcess start(
      Path log, List<String> jvmOptions, List<String> arguments, Map<String, String> environment) {
    try {
      var launcher = new ArrayList<String>();
      launcher.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // Quick start-up on a small machine; the process lives seconds to minutes.
      launcher.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      launcher.addAll(jvmOptions);
      launcher.addAll(
          List.of(
              "-cp",
              packagedJar() + ":" + Path.of("target", "lib") + "/*",
              "dev.freshet.cli.Main"));
      return start(launcher, log, arguments, environment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code freshet operator} with another launcher: {@code launcher} is the command up to
   * and including the main class (an image's entrypoint, say), {@code operator} and the HTTP
   * endpoints' options follow it.
   */
  public static OperatorProcess start(List<String> launcher, Path log, List<String> arguments) {
    return start(launcher, log, arguments, Map.of());
  }

  private static OperatorProcess start(
      List<String> launcher, Path log, List<String> arguments, Map<String, String> environment) {
    try {
      int port = freePort();
      var command = new ArrayList<>(launcher);
      command.add("operator");
      command.addAll(List.of("--http-address=127.0.0.1", "--http-port=" + port));
      command.addAll(arguments);
      Files.writeString(
          log,
          "=== started " + Instant.now() + " on http port " + port + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      var builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      return new OperatorProcess(builder.start(), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The module's jar, as {@code mvn package} left it. */
  public static Path packagedJar() throws IOException {
    try (var jars = Files.list(Path.of("target"))) {
      return jars.filter(p -> p.getFileName().toString().matches("freshet-operator-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("package the operator module first"));
    }
  }

  public Process process() {
    return process;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Whether {@code /readyz} answers 200: the operator's controllers are started. */
  public boolean isReady() {
    try {
      var request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
              .timeout(Duration.ofMillis(500))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL (on Linux), the way an OOM kill or a node loss ends it, and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("operator process " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM: the operator stops its controllers and the JVM exits normally; waits until then. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
