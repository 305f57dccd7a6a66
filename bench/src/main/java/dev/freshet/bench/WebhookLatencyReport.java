package dev.freshet.bench;

import dev.freshet.bench.NotificationSender.Sent;
import dev.freshet.bench.TemplateChanges.Change;
import dev.freshet.bench.WebhookLatencyBench.Round;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Pairs each App's expected rollout (its image, each round) with the template change a watch saw,
 * and prints the latencies from the first notification of that image in that round, what was sent,
 * and whether the duplicates left everything alone.
 */
record WebhookLatencyReport(
    NotificationPlan plan,
    List<Round> rounds,
    List<Change> changes,
    List<Hint> hints,
    BenchImages images,
    Convergence convergence) {

  /** A coalesced hint for {@code reference} (host/repo:tag) handed to the poller at {@code at}. */
  record Hint(String reference, Instant at) {}

  /** Whether, and how many seconds after the last round, Deployments and App statuses converged. */
  record Convergence(
      boolean pinned, double pinnedAfter, boolean status, double statusAfter, long statusCount) {}

  void print() {
    Map<String, List<Change>> byApp = changes.stream().collect(Collectors.groupingBy(Change::name));
    List<Long> latencies = new ArrayList<>();
    List<Long> toHint = new ArrayList<>();
    List<Long> hintToPatch = new ArrayList<>();
    List<String> lastPatch = new ArrayList<>();
    List<List<Long>> perRound = new ArrayList<>();
    int superseded = 0;
    int missing = 0;
    for (int r = 0; r < rounds.size(); r++) {
      Round round = rounds.get(r);
      Map<Integer, Instant> firstSend = new HashMap<>();
      for (Sent s : round.sent()) {
        firstSend.merge(s.image(), s.sentAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
      Instant roundStart = firstSend.values().stream().min(Comparator.naturalOrder()).orElseThrow();
      Instant roundEnd = roundStart;
      List<Long> thisRound = new ArrayList<>();
      perRound.add(thisRound);
      for (int j = 0; j < plan.apps(); j++) {
        int image = plan.imageOf(j);
        Instant sent = firstSend.get(image);
        List<Change> ofApp = byApp.getOrDefault(WebhookLatencyBench.appName(j), List.of());
        String wanted = pinned(image, r);
        var change = ofApp.stream().filter(c -> c.image().equals(wanted)).findFirst();
        if (sent == null || change.isEmpty()) {
          // Rounds are seconds apart: an App whose patch for one round had not begun when the next
          // round's digest was pushed goes straight to the newer digest, which is what it should
          // do.
          boolean later =
              java.util.stream.IntStream.range(r + 1, rounds.size())
                  .boxed()
                  .anyMatch(n -> ofApp.stream().anyMatch(c -> c.image().equals(pinned(image, n))));
          if (later) {
            superseded++;
          } else {
            missing++;
          }
          continue;
        }
        Instant at = change.get().at();
        roundEnd = at.isAfter(roundEnd) ? at : roundEnd;
        latencies.add(Duration.between(sent, at).toMillis());
        thisRound.add(Duration.between(sent, at).toMillis());
        String reference = images.image(image).reference();
        var hint =
            hints.stream()
                .filter(h -> h.reference().equals(reference) && !h.at().isBefore(sent))
                .map(Hint::at)
                .min(Comparator.naturalOrder());
        if (hint.isPresent()) {
          toHint.add(Duration.between(sent, hint.get()).toMillis());
          hintToPatch.add(Duration.between(hint.get(), at).toMillis());
        }
      }
      lastPatch.add(
          String.format(
              Locale.ROOT, "%.1f", Duration.between(roundStart, roundEnd).toMillis() / 1000.0));
    }
    int expected = plan.apps() * rounds.size();
    int extra = extraChanges(byApp);
    List<Sent> all = rounds.stream().flatMap(r -> r.sent().stream()).toList();
    long accepted = all.stream().filter(Sent::accepted).count();
    Map<String, Long> failures =
        all.stream()
            .filter(s -> !s.accepted())
            .collect(
                Collectors.groupingBy(
                    s -> s.status() + " " + s.error(), TreeMap::new, Collectors.counting()));
    long maxLag =
        all.stream()
            .mapToLong(s -> Duration.between(s.scheduled(), s.sentAt()).toMillis())
            .max()
            .orElse(0);

    var out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "webhook -> rollout: %d Apps (0 replicas, no Service) over %d images, poll interval 1h%n",
            plan.apps(),
            plan.images()));
    out.append(
        String.format(
            Locale.ROOT,
            "  notifications: %d sent at %d/s for %d s in %d rounds of %d s; %d accepted, max send lag behind schedule %d ms%n",
            all.size(),
            plan.rate(),
            plan.rounds() * plan.roundSeconds(),
            rounds.size(),
            plan.roundSeconds(),
            accepted,
            maxLag));
    failures.forEach(
        (k, v) -> out.append(String.format(Locale.ROOT, "    not accepted: %d x %s%n", v, k)));
    out.append(
        String.format(
            Locale.ROOT,
            "  pushes per round (all %d images): %s s%n",
            plan.images(),
            rounds.stream()
                .map(r -> String.format(Locale.ROOT, "%.1f", r.pushSeconds()))
                .collect(Collectors.joining(", "))));
    out.append(
        String.format(
            Locale.ROOT,
            "  rollouts measured: %d of %d (%d Apps x %d rounds); superseded by the next round's digest %d; missing %d%n",
            latencies.size(),
            expected,
            plan.apps(),
            rounds.size(),
            superseded,
            missing));
    out.append(
        String.format(
            Locale.ROOT,
            "  last template patch of each round, after the round's first send: %s s%n",
            String.join(", ", lastPatch)));
    out.append(
        String.format(
            Locale.ROOT,
            "  first notification of the image sent -> App's Deployment template patched (watch):%n"));
    out.append(
        String.format(
            Locale.ROOT,
            "    p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
            percentile(latencies, 50),
            percentile(latencies, 90),
            percentile(latencies, 99),
            percentile(latencies, 100)));
    out.append(
        String.format(
            Locale.ROOT,
            "    of which: sent -> hint to the poller (receipt and the coalescing window) p50 %d ms, p99 %d ms;%n"
                + "              hint -> template patched (registry check, App reconcile, apply) p50 %d ms, p99 %d ms%n",
            percentile(toHint, 50),
            percentile(toHint, 99),
            percentile(hintToPatch, 50),
            percentile(hintToPatch, 99)));
    for (int r = 0; r < rounds.size(); r++) {
      List<Long> these = perRound.get(r);
      out.append(
          String.format(
              Locale.ROOT,
              "    round %d: %d rollouts, p50 %d ms, p99 %d ms, max %d ms%n",
              r + 1,
              these.size(),
              percentile(these, 50),
              percentile(these, 99),
              percentile(these, 100)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  template changes other than to a round's digest (duplicates must cause none): %d%n",
            extra));
    out.append(
        String.format(
            Locale.ROOT,
            "  converged to each image's last pushed digest: Deployments %s (%.1f s after the last round's sends),%n"
                + "    App status latest = running digest %s (%.1f s after)%n",
            convergence.pinned() ? "all " + plan.apps() : "NOT all",
            convergence.pinnedAfter(),
            convergence.status()
                ? "all " + plan.apps()
                : "only " + convergence.statusCount() + " of " + plan.apps(),
            convergence.statusAfter()));
    System.out.print(out);
  }

  private String pinned(int image, int round) {
    return images.image(image).reference() + "@" + rounds.get(round).digests().get(image);
  }

  /**
   * Template changes beyond one per App to each round's digest: a second change to the same digest,
   * or a change to anything else, would be the duplicates' doing.
   */
  private int extraChanges(Map<String, List<Change>> byApp) {
    int extra = 0;
    for (int j = 0; j < plan.apps(); j++) {
      int image = plan.imageOf(j);
      var expected = new java.util.HashSet<String>();
      for (int r = 0; r < rounds.size(); r++) {
        expected.add(pinned(image, r));
      }
      var seen = new java.util.HashSet<String>();
      for (Change c : byApp.getOrDefault(WebhookLatencyBench.appName(j), List.of())) {
        if (!expected.contains(c.image()) || !seen.add(c.image())) {
          extra++;
        }
      }
    }
    return extra;
  }

  static long percentile(Collection<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
