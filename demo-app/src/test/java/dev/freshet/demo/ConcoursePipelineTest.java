package dev.freshet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The demo app's Concourse pipeline passes {@code fly validate-pipeline --strict} and its task
 * files and scripts exist (ci/validate-pipeline.sh). The first run builds fly (several minutes);
 * later runs reuse it.
 */
class ConcoursePipelineTest {

  private static final int FLY_UNAVAILABLE = 3;

  @Test
  void thePipelineIsValid() throws Exception {
    Path root = Path.of(System.getProperty("freshet.repoRoot", "..")).toAbsolutePath().normalize();
    Path log = Files.createTempFile("validate-pipeline", ".log");
    Process process =
        new ProcessBuilder("bash", root.resolve("ci/validate-pipeline.sh").toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(40, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "ci/validate-pipeline.sh did not finish; output so far:\n" + read(log));
    }
    String output = read(log);
    Assumptions.assumeFalse(
        process.exitValue() == FLY_UNAVAILABLE,
        () ->
            "fly could not be built on this machine (needs Go >= 1.26.3), so the pipeline was not"
                + " validated:\n"
                + output);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("looks good");
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
