package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory and CPU time as Linux reports them: {@code VmRSS} from {@code
 * /proc/PID/status}, user plus system time from {@code /proc/PID/stat} (fields 14 and 15, in clock
 * ticks of 1/100 s on Linux, the USER_HZ every kernel exports).
 */
record ProcessUsage(long rssKib, double cpuSeconds) {
  static final double TICKS_PER_SECOND = 100.0;

  static ProcessUsage of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    return new ProcessUsage(
        rssKib(Files.readString(proc.resolve("status"))),
        cpuSeconds(Files.readString(proc.resolve("stat"))));
  }

  static long rssKib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalArgumentException("no VmRSS line: the process has exited");
  }

  /** The command name (field 2) may hold spaces and parentheses: fields count from its last ')'. */
  static double cpuSeconds(String stat) {
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // after[0] is field 3 (state): utime is field 14, stime field 15.
    long utime = Long.parseLong(after[11]);
    long stime = Long.parseLong(after[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  }

  double rssMib() {
    return rssKib / 1024.0;
  }
}
