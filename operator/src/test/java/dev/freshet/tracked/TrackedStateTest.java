package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.observe.WorkloadStates;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How freshet_workloads reads a tracked workload's state from its status annotations. */
class TrackedStateTest {

  @Test
  void theStatusAnnotationsNameTheState() {
    assertThat(TrackedStatus.state(Map.of())).isEqualTo(WorkloadStates.UNKNOWN);
    assertThat(TrackedStatus.state(Map.of(TrackedStatus.UP_TO_DATE, "True")))
        .isEqualTo(WorkloadStates.UP_TO_DATE);
    assertThat(TrackedStatus.state(Map.of(TrackedStatus.UP_TO_DATE, "False")))
        .isEqualTo(WorkloadStates.ROLLING_OUT);
    assertThat(
            TrackedStatus.state(
                Map.of(TrackedStatus.UP_TO_DATE, "False", TrackedStatus.MESSAGE, "unauthorized")))
        .isEqualTo(WorkloadStates.FAILING);
    assertThat(
            TrackedStatus.state(
                Map.of(TrackedStatus.UP_TO_DATE, "False", TrackedStatus.PENDING, "{}")))
        .isEqualTo(WorkloadStates.WAITING);
    assertThat(
            TrackedStatus.state(
                Map.of(TrackedStatus.UP_TO_DATE, "False", TrackedRecord.HELD, "held")))
        .isEqualTo(WorkloadStates.HELD);
  }
}
