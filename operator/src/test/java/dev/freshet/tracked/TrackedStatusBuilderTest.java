package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.Resolution;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the status annotations of a tracked workload say along one rollout. */
class TrackedStatusBuilderTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String OLD = "sha256:" + "1".repeat(64);
  private static final String NEW = "sha256:" + "2".repeat(64);

  @Test
  void aPinnedDigestIsUpToDateOnlyOnceItsRolloutCompleted() {
    var atThePin = builder(Map.of());
    atThePin.pinned("web", Optional.of(OLD));
    atThePin.found("web", found(NEW));
    atThePin.updated("web", "registry.example.com/web:dev@" + NEW);
    atThePin.rolledOut(true); // the old template's rollout, as read before the pin
    Map<String, String> pinned = atThePin.build();
    assertThat(pinned).containsEntry(TrackedStatus.UP_TO_DATE, "False");
    assertThat(TrackedStatus.state(pinned)).isEqualTo(WorkloadStates.ROLLING_OUT);

    // Along the rollout the template names the new digest; nothing changes, so nothing is written.
    var rolling = builder(pinned);
    rolling.pinned("web", Optional.of(NEW));
    rolling.found("web", found(NEW));
    rolling.rolledOut(false);
    assertThat(rolling.build()).isEqualTo(pinned);

    var done = builder(pinned);
    done.pinned("web", Optional.of(NEW));
    done.found("web", found(NEW));
    done.rolledOut(true);
    Map<String, String> finished = done.build();
    assertThat(finished)
        .containsEntry(TrackedStatus.UP_TO_DATE, "True")
        .containsEntry(TrackedStatus.RUNNING_DIGEST, NEW);

    // Writing those annotations bumped the Deployment's generation, so until the controller has
    // seen it the rollout reads as not done: the status stays, or each write would cause the next.
    var afterItsOwnWrite = builder(finished);
    afterItsOwnWrite.pinned("web", Optional.of(NEW));
    afterItsOwnWrite.found("web", found(NEW));
    afterItsOwnWrite.rolledOut(false);
    assertThat(afterItsOwnWrite.build()).isEqualTo(finished);
  }

  private static TrackedStatusWriter.Builder builder(Map<String, String> annotations) {
    Deployment web =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withAnnotations(annotations)
            .endMetadata()
            .build();
    return new TrackedStatusWriter.Builder(web, CLOCK);
  }

  private static Resolution.Found found(String digest) {
    return new Resolution.Found("dev", digest, List.of(), NOW);
  }
}
