package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.update.Pin;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tracked workload's record, as the annotations hold it, container by container. */
class TrackedRecordTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void readsEachContainersPinLastGoodPinQuarantineAndPinTime() {
    var annotations =
        Map.of(
            TrackedRecord.PINNED, "app=dev@" + B + ",sidecar=1.2@" + A,
            TrackedRecord.LAST_GOOD, "app=dev@" + A,
            TrackedRecord.QUARANTINED, "app=" + B + ",sidecar=" + B,
            TrackedRecord.PINNED_AT, "2026-11-30T06:00:00Z");

    var app = TrackedRecord.of(annotations, "app");
    var sidecar = TrackedRecord.of(annotations, "sidecar");

    assertThat(app.pinned()).contains(new Pin("dev", B));
    assertThat(app.lastGood()).contains(new Pin("dev", A));
    assertThat(app.quarantined()).containsExactly(B);
    assertThat(app.pinnedAt()).contains(Instant.parse("2026-11-30T06:00:00Z"));
    assertThat(sidecar.pinned()).contains(new Pin("1.2", A));
    assertThat(sidecar.lastGood()).isEmpty();
  }

  @Test
  void aWorkloadWithoutARecordHasAnEmptyOne() {
    var record = TrackedRecord.of(null, "app");

    assertThat(record.pinned()).isEmpty();
    assertThat(record.quarantined()).isEmpty();
    assertThat(record.pinnedAt()).isEqualTo(Optional.empty());
  }

  @Test
  void pinsAreSetOverTheOthersAndQuarantineKeepsTheNewestTenPerContainer() {
    assertThat(
            TrackedRecord.withPins("app=dev@" + A + ",db=1@" + A, Map.of("app", new Pin("dev", B))))
        .isEqualTo("app=dev@" + B + ",db=1@" + A);

    String quarantined = "db=" + A;
    for (int i = 0; i < 12; i++) {
      quarantined = TrackedRecord.quarantine(quarantined, "app", "sha256:" + i);
    }
    quarantined = TrackedRecord.quarantine(quarantined, "app", "sha256:11");

    assertThat(TrackedRecord.quarantined(Map.of(TrackedRecord.QUARANTINED, quarantined), "app"))
        .hasSize(10)
        .startsWith("sha256:2")
        .endsWith("sha256:11");
    assertThat(TrackedRecord.quarantined(Map.of(TrackedRecord.QUARANTINED, quarantined), "db"))
        .containsExactly(A);
  }
}
