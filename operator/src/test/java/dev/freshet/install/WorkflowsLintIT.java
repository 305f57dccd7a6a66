package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshet's GitHub workflows (CI, release, the demo app's pipeline) pass actionlint, built from the
 * Go module proxy by testbed/actionlint.sh ({@code make test} and .ci/setup.sh build it), and
 * actionlint does find a mistake when there is one. shellcheck is not on the machine, so the
 * scripts inside {@code run:} steps are not linted as shell.
 */
class WorkflowsLintIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyWorkflowPassesActionlint() throws Exception {
    List<Path> workflows;
    try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
      workflows = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(workflows)
        .extracting(p -> p.getFileName().toString())
        .contains("ci.yml", "release.yml", "demo-app.yml");

    Result result = actionlint(workflows);

    assertThat(result.exit()).as(result.output()).isZero();
  }

  @Test
  void aBrokenWorkflowIsFound(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yml");
    Files.writeString(
        broken,
        """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: echo ${{ github.no_such_context }}
              - uses: actions/checkout@v4
                with: {fetch-depth: 0}
                unknown-key: true
        """);

    Result result = actionlint(List.of(broken));

    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("no_such_context", "unknown-key");
  }

  private record Result(int exit, String output) {}

  private static Result actionlint(List<Path> files) throws IOException, InterruptedException {
    Result located =
        run(List.of("bash", ROOT.resolve("testbed/actionlint.sh").toString(), "--locate"));
    assertThat(located.exit()).as("actionlint is built: " + located.output()).isZero();
    String[] lines = located.output().trim().split("\n");
    List<String> command = new ArrayList<>(List.of(lines[lines.length - 1].trim(), "-color=false"));
    files.forEach(f -> command.add(f.toString()));
    return run(command);
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}
