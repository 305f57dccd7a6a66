package dev.freshet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutSequenceTest {
  private static final String D0 = "sha256:" + "0".repeat(64);
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String D3 = "sha256:" + "3".repeat(64);
  private static final Map<String, Integer> AGE = Map.of(D0, 0, D1, 1, D2, 2, D3, 3);

  private static String pinned(String tag, String digest) {
    return "127.0.0.1:5000/apps/web:" + tag + "@" + digest;
  }

  @Test
  void movesToNewerDigestsAreForward() {
    var judged =
        RolloutSequence.judge(
            List.of(pinned("dev", D0), pinned("dev", D1), pinned("dev", D3)), AGE, Set.of());

    assertThat(judged.forward()).isEqualTo(2);
    assertThat(judged.rollbacks()).isZero();
    assertThat(judged.backward()).isEmpty();
    assertThat(judged.duplicates()).isEmpty();
  }

  @Test
  void leavingAQuarantinedDigestForOneNamedBeforeIsARollback() {
    var judged =
        RolloutSequence.judge(
            List.of(pinned("1", D0), pinned("2-crash", D1), pinned("1", D0), pinned("3", D2)),
            AGE,
            Set.of(D1));

    assertThat(judged.forward()).isEqualTo(2);
    assertThat(judged.rollbacks()).isEqualTo(1);
    assertThat(judged.backward()).isEmpty();
    assertThat(judged.duplicates()).isEmpty();
  }

  @Test
  void goingBackToAnOlderDigestAndForthAgainIsABackwardMoveAndADuplicateRollout() {
    var judged =
        RolloutSequence.judge(
            List.of(pinned("dev", D1), pinned("dev", D0), pinned("dev", D1)), AGE, Set.of());

    String sequence = " in [dev@111111111111, dev@000000000000, dev@111111111111]";
    assertThat(judged.backward())
        .containsExactly("dev@111111111111 -> dev@000000000000" + sequence);
    assertThat(judged.duplicates())
        .containsExactly("dev@000000000000 -> dev@111111111111" + sequence);
    assertThat(judged.forward()).isZero();
    assertThat(judged.rollbacks()).isZero();
  }

  @Test
  void aMoveToAnOlderDigestNeverNamedIsBackward() {
    var judged =
        RolloutSequence.judge(List.of(pinned("dev", D2), pinned("dev", D1)), AGE, Set.of());

    assertThat(judged.backward()).hasSize(1);
    assertThat(judged.forward()).isZero();
  }

  @Test
  void aMoveBackFromADigestThatWasNotQuarantinedIsNoRollback() {
    var judged =
        RolloutSequence.judge(
            List.of(pinned("1", D0), pinned("2", D1), pinned("1", D0)), AGE, Set.of(D2));

    assertThat(judged.rollbacks()).isZero();
    assertThat(judged.duplicates()).hasSize(1);
  }

  @Test
  void aRollbackToAQuarantinedDigestOrAReturnToTheQuarantinedOneIsNoRollback() {
    var judged =
        RolloutSequence.judge(
            List.of(pinned("1", D0), pinned("2-crash", D1), pinned("1", D0), pinned("2-crash", D1)),
            AGE,
            Set.of(D1));

    assertThat(judged.rollbacks()).isEqualTo(1);
    assertThat(judged.duplicates()).hasSize(1);
  }

  @Test
  void imagesWithoutADigestOrWithAForeignOneAreReported() {
    var judged =
        RolloutSequence.judge(
            List.of(
                pinned("dev", D0),
                "127.0.0.1:5000/apps/web:dev",
                pinned("dev", "sha256:" + "f".repeat(64))),
            AGE,
            Set.of());

    assertThat(judged.unpinned()).hasSize(1);
    assertThat(judged.unknown()).hasSize(1);
  }
}
