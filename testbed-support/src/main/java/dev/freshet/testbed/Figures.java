package dev.freshet.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The figures a long-running test measured, one {@code name=value} line each, in {@code
 * target/figures/<test>.properties} of the module that ran it (or {@code $freshet.figures.dir}).
 * {@code make soak} gathers every module's files into its summary table, so a test joins the table
 * by writing its figures here; the names are the table's rows (say {@code rollouts}, {@code kills},
 * {@code faults.etcd-restart}).
 */
public final class Figures {
  private Figures() {}

  /** Writes {@code figures}, in their order, replacing what the test wrote before. */
  public static Path write(String test, Map<String, ?> figures) {
    Path dir = Path.of(System.getProperty("freshet.figures.dir", "target/figures"));
    var text = new StringBuilder();
    figures.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(test + ".properties"), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether this is a soak run ({@code -Dfreshet.soak=true}): tests then use their long variants.
   */
  public static boolean soak() {
    return Boolean.getBoolean("freshet.soak");
  }
}
