package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests the testbed's registry (Debian's docker-registry) served for one run's repositories,
 * read from its access log: every request it answered, whoever sent it. A mark is a line count, so
 * a window counts only what was logged after it.
 */
final class RegistryLog {
  /** Requests by method, and the distinct repositories whose manifests were asked for. */
  record Counts(Map<String, Long> byMethod, Set<String> manifestRepositories) {
    long total() {
      return byMethod.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final Pattern REQUEST = Pattern.compile("\"([A-Z]+) /v2/([^ ?\"]+)[^\"]* HTTP/");

  private final Path file;
  private final String repositoryPrefix;

  RegistryLog(Path file, String repositoryPrefix) {
    this.file = file;
    this.repositoryPrefix = repositoryPrefix;
  }

  int mark() throws IOException {
    return lines().size();
  }

  Counts since(int mark) throws IOException {
    List<String> lines = lines();
    return count(lines.subList(Math.min(mark, lines.size()), lines.size()), repositoryPrefix);
  }

  static Counts count(List<String> lines, String repositoryPrefix) {
    Map<String, Long> byMethod = new TreeMap<>();
    Set<String> repositories = new HashSet<>();
    for (String line : lines) {
      Matcher m = REQUEST.matcher(line);
      if (!m.find() || !m.group(2).startsWith(repositoryPrefix)) {
        continue;
      }
      byMethod.merge(m.group(1), 1L, Long::sum);
      int manifests = m.group(2).indexOf("/manifests/");
      if (manifests > 0) {
        repositories.add(m.group(2).substring(0, manifests));
      }
    }
    return new Counts(byMethod, repositories);
  }

  private List<String> lines() throws IOException {
    return Files.readAllLines(file);
  }
}
