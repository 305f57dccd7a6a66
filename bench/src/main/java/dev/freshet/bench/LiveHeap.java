package dev.freshet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A JVM's live heap, as {@code jcmd PID GC.class_histogram} reports it: the histogram runs a full
 * collection first, so its total counts only what is still reachable. Empty for a process that is
 * not a JVM (a peer in Go) or that refuses the attach.
 */
final class LiveHeap {
  private LiveHeap() {}

  static OptionalLong bytes(long pid) throws IOException, InterruptedException {
    // The bench's own JDK: the operator under test runs on the same one here.
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    // Into a file, not a pipe: reading a pipe to its end would wait on a hung attach for ever,
    // where the wait below gives up after two minutes.
    Path output = Files.createTempFile("freshet-histogram", ".txt");
    try {
      Process process =
          new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        return OptionalLong.empty();
      }
      return total(Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The bytes of the histogram's {@code Total} line: instances, then bytes. */
  static OptionalLong total(String histogram) {
    for (String line : histogram.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 3 && fields[0].equals("Total")) {
        return OptionalLong.of(Long.parseLong(fields[2]));
      }
    }
    return OptionalLong.empty();
  }
}
