package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;

/** Read through the kind-agnostic entry point, as the tracked-workload reconciler reads it. */
class RolloutStateTest {

  @Test
  void aCronJobHasNoRolloutSoItsTemplateIsDoneOnceWrittenAndNeverStalls() {
    var cronJob =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("report")
            .withGeneration(7L)
            .endMetadata()
            .withNewSpec()
            .withSchedule("0 3 * * *")
            .endSpec()
            .build();

    assertThat(RolloutState.of((HasMetadata) cronJob))
        .hasValueSatisfying(
            state -> {
              assertThat(state.isDone()).isTrue();
              assertThat(state.isStalled()).isFalse();
            });
  }
}
