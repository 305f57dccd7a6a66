package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The playground of {@code make dev} (deploy/dev.sh) on a testbed of its own: it reaches a rolled
 * demo App and shows its state in the terminal, it serves on free ports (8080 is taken here on
 * purpose), and stopping it leaves no process behind — the process list before and after is the
 * same. It is stopped with SIGTERM, which it handles as Ctrl-C's SIGINT: a process started by a
 * test, like any background job of a script, may inherit SIGINT ignored, and a shell cannot trap a
 * signal ignored at entry.
 */
class DevPlaygroundIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void makeDevReachesARolledAppShowsItAndLeavesNothingRunning() throws Exception {
    Path testbed = ROOT.resolve(".testbed/dev-it");
    Files.createDirectories(testbed.getParent());
    // The launcher make build installs; the verify phase has built what it launches.
    run(List.of("install", "-D", "-m", "0755", "operator/src/main/dist/freshet", "bin/freshet"));
    assertThat(processesOf(testbed)).as("before").isEmpty();

    Optional<ServerSocket> taken8080 = bind(8080);
    List<String> output = new CopyOnWriteArrayList<>();
    ProcessBuilder builder =
        // --wait: setsid forks when its caller leads a process group, and the fork leads the new
        // one.
        new ProcessBuilder("setsid", "--wait", "bash", ROOT.resolve("deploy/dev.sh").toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().put("FRESHET_TESTBED_DIR", testbed.toString());
    builder.environment().remove("FRESHET_HTTP_PORT");
    Process dev = builder.start();
    Thread reader = new Thread(() -> read(dev, output), "make dev output");
    reader.start();
    try {
      try {
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .failFast(
                "make dev ended by itself",
                () -> assertThat(dev.isAlive()).as(String.join("\n", output)).isTrue())
            .until(
                () ->
                    output.stream()
                        .anyMatch(
                            l ->
                                l.matches("\\[\\d\\d:\\d\\d:\\d\\d\\] demo  tag dev .*")
                                    && l.contains("ready 2/2")
                                    && l.contains("UpToDate=True")));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "make dev never showed the demo App ready; its last lines:\n" + lastLines(output), e);
      }
      assertThat(processesOf(testbed)).as("while it runs").isNotEmpty();
    } finally {
      // The script leads a session of its own: its process group is everything it started.
      Optional<Long> group = scriptGroup(dev);
      if (group.isPresent()) {
        run(List.of("kill", "-TERM", "--", "-" + group.get()));
      }
      boolean stopped = dev.waitFor(120, TimeUnit.SECONDS);
      reader.join(5_000);
      if (taken8080.isPresent()) {
        taken8080.get().close();
      }
      assertThat(stopped)
          .as("make dev stopped; its output:\n" + String.join("\n", output))
          .isTrue();
    }
    assertThat(String.join("\n", output)).doesNotContain("BindException");
    assertThat(processesOf(testbed)).as("after").isEmpty();
  }

  /**
   * The process group of deploy/dev.sh: setsid forks only when its caller leads a process group, so
   * the script is the started process or its child, whichever runs the script.
   */
  private static Optional<Long> scriptGroup(Process dev) throws IOException {
    Optional<ProcessHandle> script =
        Stream.concat(Stream.of(dev.toHandle()), dev.toHandle().children())
            .filter(p -> p.info().commandLine().map(c -> c.contains("deploy/dev.sh")).orElse(false))
            .findFirst();
    if (script.isEmpty()) {
      return Optional.empty();
    }
    // Field 5 of /proc/PID/stat, after the parenthesised command name.
    String stat = Files.readString(Path.of("/proc", Long.toString(script.get().pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Optional.of(Long.parseLong(fields[2]));
  }

  /** The PIDs whose command line names the playground's testbed or its script. */
  private static List<Long> processesOf(Path testbed) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains(testbed.toString()) || c.contains("deploy/dev.sh"))
                    .orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static Optional<ServerSocket> bind(int port) {
    try {
      return Optional.of(new ServerSocket(port));
    } catch (IOException taken) {
      return Optional.empty();
    }
  }

  /** The last lines of make dev's output: what a timeout report needs to say why. */
  private static String lastLines(List<String> output) {
    List<String> copy = List.copyOf(output);
    return String.join("\n", copy.subList(Math.max(0, copy.size() - 60), copy.size()));
  }

  private static void read(Process process, List<String> output) {
    try (var lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("reading failed: " + e);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }
}
