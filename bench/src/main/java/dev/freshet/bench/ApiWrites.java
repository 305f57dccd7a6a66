package dev.freshet.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write requests summed by {@code verb resource[/subresource]}: all the API server took, from its
 * {@code apiserver_request_total}, or those of Freshet's that the API server wrote, from its own
 * {@code freshet_kubernetes_writes_total} less its {@code freshet_kubernetes_write_conflicts_total}
 * (kept apart in {@link #refused}). Hand-parsed: one counter family of the Prometheus text format,
 * where a parser library would bring a second metrics stack into the bench for a dozen lines.
 */
record ApiWrites(Map<String, Long> byVerbAndResource, Map<String, Long> refused) {
  ApiWrites(Map<String, Long> byVerbAndResource) {
    this(byVerbAndResource, Map.of());
  }

  static final Set<String> WRITE_VERBS =
      Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");

  /**
   * Node and controller heartbeats go on whatever runs; they are nobody's work here and would drown
   * the figure: Lease renewals, and the nodes' status, which the fake nodes' agent (kwok) patches
   * every quarter of an hour or so (40 times in 30 minutes over twenty nodes), too seldom for the
   * one interval measured before an operator starts to catch.
   */
  static final Set<String> HEARTBEATS = Set.of("leases", "nodes/status");

  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)}\\s+([0-9.eE+]+)");
  private static final Pattern FRESHET_SAMPLE =
      Pattern.compile("^freshet_kubernetes_writes_total\\{([^}]*)}\\s+([0-9.eE+]+)");
  private static final Pattern FRESHET_CONFLICTS =
      Pattern.compile("^freshet_kubernetes_write_conflicts_total\\{([^}]*)}\\s+([0-9.eE+]+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** All writes the API server took, from its own {@code /metrics}. */
  static ApiWrites parse(String metricsText) {
    return parse(metricsText, SAMPLE);
  }

  /**
   * The writes one Freshet process sent, from its {@code /metrics}: its own share of what {@link
   * #parse} counts, apart from the cluster's controllers. Its resource label already carries the
   * subresource ({@code apps/status}).
   */
  static ApiWrites parseFreshet(String metricsText) {
    Map<String, Long> refused = sums(metricsText, FRESHET_CONFLICTS);
    Map<String, Long> written = new TreeMap<>(sums(metricsText, FRESHET_SAMPLE));
    // Sent but refused with 409 (a stale copy, a field another manager owns): nothing written.
    refused.forEach((key, n) -> written.merge(key, -n, Long::sum));
    written.values().removeIf(n -> n == 0);
    return new ApiWrites(Map.copyOf(written), refused);
  }

  private static ApiWrites parse(String metricsText, Pattern family) {
    return new ApiWrites(sums(metricsText, family));
  }

  private static Map<String, Long> sums(String metricsText, Pattern family) {
    Map<String, Long> sums = new TreeMap<>();
    for (String line : metricsText.split("\n")) {
      Matcher sample = family.matcher(line);
      if (!sample.find()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      String resource = labels.getOrDefault("resource", "");
      String subresource = labels.getOrDefault("subresource", "");
      String path = resource + (subresource.isEmpty() ? "" : "/" + subresource);
      if (!WRITE_VERBS.contains(verb) || HEARTBEATS.contains(path)) {
        continue;
      }
      String key = verb + " " + path;
      sums.merge(key, (long) Double.parseDouble(sample.group(2)), Long::sum);
    }
    return Map.copyOf(sums);
  }

  /** What was written, and refused, between {@code before} and this. */
  ApiWrites since(ApiWrites before) {
    return new ApiWrites(
        delta(byVerbAndResource, before.byVerbAndResource), delta(refused, before.refused));
  }

  private static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    now.forEach(
        (key, count) -> {
          long d = count - before.getOrDefault(key, 0L);
          if (d != 0) {
            delta.put(key, d);
          }
        });
    return delta;
  }

  long total() {
    return byVerbAndResource.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The writes of Events: the story of a change, apart from the writes that make it. */
  long events() {
    return byVerbAndResource.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" events"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * A rollout's cost in figures, from the writes of a round in which each of {@code rollouts}
   * workloads rolled once: its writes to workloads and records (goal: one for the pin, at most one
   * for its record), and its Events.
   */
  List<Figure> perRollout(int rollouts) {
    double writes = (total() - events()) / (double) rollouts;
    return List.of(
        Figure.against(
                "Freshet's API writes per rollout, Events aside (pin to completion)",
                writes,
                "writes",
                2,
                "one for the pin, one for its record (limit)")
            .goal("<= 2 writes per rollout", writes <= 2),
        Figure.of("Freshet's Events per rollout", events() / (double) rollouts, "Events"),
        Figure.of(
            "Freshet's writes refused with 409 per rollout (stale copy or field conflict)",
            refused.values().stream().mapToLong(Long::longValue).sum() / (double) rollouts,
            "requests"));
  }
}
