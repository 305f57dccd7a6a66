package dev.freshet.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The {@code freshet} CLI for a pipeline step, as {@code make build} installs it: the launcher
 * {@code operator/src/main/dist/freshet} at {@code bin/freshet} of a folder whose {@code operator}
 * links to the checkout's, so it runs the operator module's jar over its copied dependencies. Under
 * {@code mvn verify} these exist (the package phase runs before the integration tests) even where
 * {@code bin/freshet} does not, as in a fresh clone.
 */
final class CliLauncher implements AutoCloseable {
  private final Path launcher;
  private final Path link;

  private CliLauncher(Path launcher, Path link) {
    this.launcher = launcher;
    this.link = link;
  }

  /** Lays the launcher out under {@code dir}. */
  static CliLauncher in(Path dir, Path checkout) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path launcher = bin.resolve("freshet");
    Files.copy(
        checkout.resolve("operator/src/main/dist/freshet"),
        launcher,
        StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new CliLauncher(
        launcher, Files.createSymbolicLink(dir.resolve("operator"), checkout.resolve("operator")));
  }

  Path path() {
    return launcher;
  }

  /** Removes the link, so that cleaning up the folder can never follow it into the checkout. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(link);
  }
}
