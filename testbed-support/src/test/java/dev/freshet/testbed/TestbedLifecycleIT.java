package dev.freshet.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A testbed whose processes died (a killed test run, a reboot) is cleaned away and replaced by the
 * next start, and a stop leaves no process behind. Runs a second testbed of its own beside the
 * shared one, which also proves that two testbeds do not collide.
 */
class TestbedLifecycleIT {
  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void findCheckout() {
    Path here = Path.of("").toAbsolutePath();
    root = Files.isRegularFile(here.resolve("testbed/up.sh")) ? here : here.getParent();
  }

  @AfterEach
  void stop() throws Exception {
    script("down.sh");
  }

  @Test
  void aTestbedWhoseProcessesWereKilledIsReplacedAndAStopLeavesNothingRunning() throws Exception {
    assertThat(script("up.sh")).isZero();
    assertThat(script("status.sh")).isZero();
    List<Long> first = recordedPids();
    assertThat(first).hasSizeGreaterThanOrEqualTo(7); // 5 control-plane processes, 2 registries

    for (long pid : first) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    awaitDead(first);
    assertThat(script("status.sh")).isNotZero();

    assertThat(script("up.sh")).isZero();
    assertThat(script("status.sh")).isZero();
    List<Long> second = recordedPids();
    assertThat(second).doesNotContainAnyElementsOf(first);

    assertThat(script("down.sh")).isZero();
    awaitDead(second);
    assertThat(dir.resolve("run")).doesNotExist();
    assertThat(dir.resolve("kubeconfig")).doesNotExist();
  }

  private List<Long> recordedPids() throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
    }
    return pids;
  }

  private static void awaitDead(List<Long> pids) throws InterruptedException {
    for (long pid : pids) {
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent()) {
        handle.get().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("process %d", pid)
          .isEmpty();
    }
  }

  private int script(String name) throws Exception {
    var builder =
        new ProcessBuilder("bash", root.resolve("testbed").resolve(name).toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    dir.resolveSibling(dir.getFileName() + ".log").toFile()));
    builder.environment().put("FRESHET_TESTBED_DIR", dir.toString());
    Process process = builder.start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not finish");
    }
    return process.exitValue();
  }
}
