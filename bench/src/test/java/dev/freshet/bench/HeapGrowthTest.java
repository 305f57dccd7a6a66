package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live heap's growth per workload, from two steady runs of the same operator. */
class HeapGrowthTest {
  private static ScenarioResult footprint(int workloads, Long liveHeapBytes) {
    var result = ScenarioResult.of("footprint", "freshet").set("workloads", workloads);
    if (liveHeapBytes != null) {
      result.set(SteadyPolling.LIVE_HEAP_BYTES, liveHeapBytes);
    }
    return result;
  }

  @Test
  void theGrowthLeavesTheFixedPartOutAndIsJudgedAtTenThousand() {
    var smaller = footprint(1_000, 40L * 1024 * 1024);
    var larger = footprint(10_000, 40L * 1024 * 1024 + 9_000L * 9 * 1024);

    SteadyPolling.addHeapGrowth(smaller, larger);

    assertThat(larger.figures())
        .singleElement()
        .satisfies(
            growth -> {
              assertThat(growth.name()).isEqualTo("live heap per workload beyond 1000 workloads");
              assertThat(growth.value()).isEqualTo(9.0);
              assertThat(growth.met()).isFalse();
            });
    assertThat(smaller.figures()).isEmpty();
  }

  @Test
  void noFigureWithoutBothLiveHeaps() {
    var larger = footprint(10_000, 100L * 1024 * 1024);

    SteadyPolling.addHeapGrowth(footprint(1_000, null), larger);

    assertThat(larger.figures()).isEmpty();
  }
}
