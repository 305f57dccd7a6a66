package dev.freshet.bench;

import java.time.Duration;
import java.util.List;

/**
 * The sizes a run measures. {@code full} is the figures the design promises (about 45 minutes on a
 * 2-core machine); {@code large} is full's 10,000 workloads alone, for the steady and footprint
 * figures at the size where memory matters (about half an hour); {@code long} holds full's 1,000
 * workloads in steady state for 30 minutes, as the goal of no writes says (about 35 minutes, steady
 * and footprint only); {@code small} tries the harness in a few minutes.
 *
 * @param steady (workloads, images) of each steady-polling run
 */
record Scale(
    String name,
    List<int[]> steady,
    Duration interval,
    int cycles,
    int burstWorkloads,
    int burstImages,
    int webhookApps,
    int webhookImages,
    double webhookRolloutsPerSecond,
    int coldApps) {

  static Scale named(String name) {
    return switch (name) {
      case "full" ->
          new Scale(
              "full",
              // 1,000 workloads over 100 images, 10,000 over 500: the sizes the design promises,
              // without the crossed pairs, which took the run past an hour on 2 cores.
              List.of(new int[] {1000, 100}, new int[] {10000, 500}),
              Duration.ofSeconds(30),
              3,
              1000,
              100,
              1000,
              100,
              20,
              1000);
      case "large" -> named("full").steadyOnly("large", 1, named("full").cycles());
      case "long" -> {
        Scale full = named("full");
        yield full.steadyOnly("long", 0, (int) Duration.ofMinutes(30).dividedBy(full.interval()));
      }
      case "small" ->
          new Scale(
              "small",
              List.of(new int[] {100, 10}, new int[] {300, 30}),
              Duration.ofSeconds(10),
              3,
              100,
              10,
              100,
              10,
              20,
              50);
      default ->
          throw new IllegalArgumentException(
              "BENCH_SCALE is full, large, long or small, not: " + name);
    };
  }

  /**
   * This scale's other scenarios with only its steady run number {@code index}, held for {@code
   * cycles} intervals.
   */
  private Scale steadyOnly(String name, int index, int cycles) {
    return new Scale(
        name,
        List.of(steady.get(index)),
        interval,
        cycles,
        burstWorkloads,
        burstImages,
        webhookApps,
        webhookImages,
        webhookRolloutsPerSecond,
        coldApps);
  }
}
