package dev.freshet.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A registry of a test's own (the same CNCF distribution binary as the testbed's), for tests that
 * must stop and start it: a registry outage is a real refused connection, not a simulated one.
 * Anonymous, on loopback, storage in a temporary folder; {@link #close} stops it and removes the
 * data.
 */
public final class OwnRegistry implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private OwnRegistry(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a registry on a free loopback port. */
  public static OwnRegistry start() {
    try {
      Path dir = Files.createTempDirectory("freshet-registry");
      int port;
      try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Files.writeString(
          dir.resolve("config.yml"),
          """
          version: 0.1
          log: {level: warn, formatter: text}
          storage:
            filesystem: {rootdirectory: %s}
            delete: {enabled: true}
          http:
            addr: 127.0.0.1:%d
            secret: own-registry
          """
              .formatted(dir.resolve("data"), port));
      var registry = new OwnRegistry(dir, port);
      registry.resume();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port. */
  public Registry registry() {
    return new Registry("127.0.0.1:" + port, Optional.empty(), Optional.empty());
  }

  /** Stops the process; its port then refuses connections. The data stays for {@link #resume}. */
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts the process again on the same port and data, and waits until it answers. */
  public void resume() {
    try {
      process =
          new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "docker-registry could not start (apt-get install docker-registry)", e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      try {
        var connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
        connection.setConnectTimeout(500);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      try {
        Thread.sleep(100); // polling a process that is starting; nothing to wait on instead
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException(
        "the registry on port " + port + " did not start; see " + dir.resolve("registry.log"));
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
