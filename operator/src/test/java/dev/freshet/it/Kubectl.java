package dev.freshet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testbed.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The testbed's kubectl, for what tests should do exactly as users do. */
public final class Kubectl {

  private Kubectl() {}

  /** Runs kubectl against the testbed and returns its output; fails the test if kubectl fails. */
  public static String run(String... args) {
    var testbed = Testbed.get();
    var command =
        new ArrayList<>(
            List.of(testbed.kubectl().toString(), "--kubeconfig", testbed.kubeconfig().toString()));
    command.addAll(List.of(args));
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("%s%n%s", command, output).isZero();
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
