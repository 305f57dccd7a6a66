package dev.freshet.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code freshet_workloads{kind, state}}: how many Apps and tracked workloads are in each state, as
 * their own status says it. Counted when scraped from the informer caches the controllers keep
 * anyway, so the gauge is never out of step with the cluster and a deleted workload leaves it at
 * once, with no bookkeeping beside the cache.
 */
public final class WorkloadStates {
  /** The states, the same words for every kind. */
  public static final String UP_TO_DATE = "up_to_date";

  public static final String ROLLING_OUT = "rolling_out";
  public static final String WAITING = "waiting";
  public static final String HELD = "held";
  public static final String FAILING = "failing";
  public static final String UNKNOWN = "unknown";
  static final List<String> STATES =
      List.of(UP_TO_DATE, ROLLING_OUT, WAITING, HELD, FAILING, UNKNOWN);

  /** States nobody counts: for a wiring without metrics. */
  public static final WorkloadStates NONE = new WorkloadStates(null);

  private final MeterRegistry meters;

  public WorkloadStates(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * Counts {@code kind}'s objects by state from now on.
   *
   * @param objects what the controller's cache holds of that kind, the untracked left out
   * @param stateOf one of the states above, read from an object's status
   */
  public <T extends HasMetadata> void count(
      String kind, Supplier<Stream<T>> objects, Function<T, String> stateOf) {
    if (meters == null) {
      return;
    }
    for (String state : STATES) {
      Gauge.builder(
              "freshet_workloads",
              () -> objects.get().filter(o -> state.equals(stateOf.apply(o))).count())
          .description("Apps and tracked workloads by the state their status says")
          .tag("kind", kind)
          .tag("state", state)
          .register(meters);
    }
  }
}
