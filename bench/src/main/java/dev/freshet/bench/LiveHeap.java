package dev.freshet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    Process process =
        new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"))
            .redirectErrorStream(true)
            .start();
    String output;
    try (var in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      return OptionalLong.empty();
    }
    return total(output);
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
