package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.poll.Resolution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a roll forward waits: for an approval, a maintenance window or a minimum age, judged at a
 * fixed time so windows and ages are deterministic. A rollback and a resume never wait.
 */
class UpdateEngineWaitsTest {
  private static final Pin D0 = new Pin("dev", digest('0'));
  private static final Pin D1 = new Pin("dev", digest('1'));
  private static final Pin D2 = new Pin("dev", digest('2'));
  // A Monday, 10:00 in Paris.
  private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
  private static final RolloutState DONE = new RolloutState(2, 2, 2, 2, true, true, null);
  private static final RolloutState STALLED =
      new RolloutState(2, 3, 2, 1, true, false, "ReplicaSet web-2 has timed out progressing.");
  private static final ImageRecord ON_D1 =
      new ImageRecord(Optional.of(D1), Optional.of(D1), List.of(), List.of(D0.digest()));
  private static final MaintenanceWindow EVENINGS =
      MaintenanceWindow.parse("0 22 * * 1-5", "2h", "Europe/Paris");
  private static final MaintenanceWindow MORNINGS =
      MaintenanceWindow.parse("0 9 * * *", "2h", "Europe/Paris");

  @Test
  void aManualAppWaitsForApprovalOfTheNewDigest() {
    Decision decision = decide(manual(Set.of()), found(D2));

    assertThat(decision)
        .isInstanceOfSatisfying(
            Decision.Wait.class,
            wait -> {
              assertThat(wait.reason()).isEqualTo(Decision.Wait.Reason.APPROVAL);
              assertThat(wait.candidate()).isEqualTo(D2);
              assertThat(wait.target()).contains(D1);
              assertThat(wait.since()).isEqualTo(NOW);
              assertThat(wait.until()).isEmpty();
              assertThat(wait.why()).contains(D2.digest());
            });
  }

  @Test
  void anApprovalOfThatDigestReleasesIt() {
    assertThat(decide(manual(Set.of(D2.digest())), found(D2)))
        .isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void anApprovalOfAnOlderDigestNeverReleasesANewerOne() {
    Decision decision = decide(manual(Set.of(D0.digest())), found(D2));

    assertThat(decision).isInstanceOf(Decision.Wait.class);
  }

  @Test
  void theFirstPinOfATagNeverWaits() {
    Decision decision =
        UpdateEngine.decide(
            Optional.empty(),
            ImageRecord.EMPTY,
            found(D1),
            Optional.empty(),
            manual(Set.of()),
            NOW);

    assertThat(decision).isEqualTo(new Decision.RollForward(D1, Optional.empty()));
  }

  @Test
  void aRollbackNeverWaits() {
    var record = new ImageRecord(Optional.of(D2), Optional.of(D1), List.of(), List.of());

    Decision decision =
        UpdateEngine.decide(
            Optional.of(D2), record, found(D2), Optional.of(STALLED), manual(Set.of()), NOW);

    assertThat(decision).isInstanceOf(Decision.RollBack.class);
  }

  @Test
  void anInterruptedRolloutIsResumedEvenWhileANewerDigestWaits() {
    Pin d3 = new Pin("dev", digest('3'));
    // D2 was recorded but the process died before the patch; the registry now names d3.
    var record = new ImageRecord(Optional.of(D2), Optional.of(D1), List.of(), List.of(D1.digest()));

    Decision decision =
        UpdateEngine.decide(
            Optional.of(D1), record, found(d3), Optional.of(DONE), manual(Set.of()), NOW);

    assertThat(decision).isInstanceOf(Decision.Wait.class);
    assertThat(decision.target()).contains(D2);
  }

  @Test
  void aYoungDigestWaitsUntilItIsOldEnoughCountingFromWhenItWasFirstSeen() {
    var seenBefore = Optional.of(new Pending(D2, NOW.minusSeconds(600)));

    Decision young = decide(minAge(Duration.ofMinutes(15), seenBefore), found(D2));
    Decision old = decide(minAge(Duration.ofMinutes(10), seenBefore), found(D2));

    assertThat(young)
        .isInstanceOfSatisfying(
            Decision.Wait.class,
            wait -> {
              assertThat(wait.reason()).isEqualTo(Decision.Wait.Reason.MATURITY);
              assertThat(wait.since()).isEqualTo(NOW.minusSeconds(600));
              assertThat(wait.until()).contains(NOW.plusSeconds(300));
              assertThat(wait.recheckAfter(NOW)).contains(Duration.ofSeconds(301));
            });
    assertThat(old).isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void whenTheTagMovesToAnotherDigestTheClockRestarts() {
    Pin d3 = new Pin("dev", digest('3'));
    var seenBefore = Optional.of(new Pending(D2, NOW.minusSeconds(3600)));

    Decision decision = decide(minAge(Duration.ofMinutes(10), seenBefore), found(d3));

    assertThat(decision)
        .isInstanceOfSatisfying(
            Decision.Wait.class,
            wait -> {
              assertThat(wait.candidate()).isEqualTo(d3);
              assertThat(wait.since()).isEqualTo(NOW);
              assertThat(wait.until()).contains(NOW.plusSeconds(600));
            });
  }

  @Test
  void outsideEveryWindowTheUpdateWaitsForTheNextOpening() {
    Decision decision = decide(windows(List.of(EVENINGS), Set.of()), found(D2));

    assertThat(decision)
        .isInstanceOfSatisfying(
            Decision.Wait.class,
            wait -> {
              assertThat(wait.reason()).isEqualTo(Decision.Wait.Reason.WINDOW);
              // 22:00 in Paris, UTC+1 in November.
              assertThat(wait.until()).contains(Instant.parse("2026-11-30T21:00:00Z"));
            });
  }

  @Test
  void insideAWindowTheUpdateRolls() {
    assertThat(decide(windows(List.of(EVENINGS, MORNINGS), Set.of()), found(D2)))
        .isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void anOverrideForTheDigestLetsItThroughAClosedWindowAndOnlyIt() {
    var waits = windows(List.of(EVENINGS), Set.of(D2.digest()));

    assertThat(decide(waits, found(D2))).isInstanceOf(Decision.RollForward.class);
    assertThat(decide(waits, found(new Pin("dev", digest('3'))))).isInstanceOf(Decision.Wait.class);
  }

  @Test
  void approvalIsAskedBeforeTheWindow() {
    var waits =
        new Waits(true, List.of(EVENINGS), Duration.ZERO, Optional.empty(), Set.of(), Set.of());

    assertThat(decide(waits, found(D2)))
        .extracting(d -> ((Decision.Wait) d).reason())
        .isEqualTo(Decision.Wait.Reason.APPROVAL);
  }

  @Test
  void theNewestDigestAlreadyRunningNeverWaits() {
    Decision decision = decide(manual(Set.of()), found(D1));

    assertThat(decision).isInstanceOf(Decision.Stay.class);
  }

  private static Decision decide(Waits waits, Optional<Resolution> answer) {
    return UpdateEngine.decide(Optional.of(D1), ON_D1, answer, Optional.of(DONE), waits, NOW);
  }

  private static Waits manual(Set<String> approved) {
    return new Waits(true, List.of(), Duration.ZERO, Optional.empty(), approved, Set.of());
  }

  private static Waits minAge(Duration minAge, Optional<Pending> pending) {
    return new Waits(false, List.of(), minAge, pending, Set.of(), Set.of());
  }

  private static Waits windows(List<MaintenanceWindow> windows, Set<String> overrides) {
    return new Waits(false, windows, Duration.ZERO, Optional.empty(), Set.of(), overrides);
  }

  private static Optional<Resolution> found(Pin pin) {
    return Optional.of(new Resolution.Found(pin.tag(), pin.digest(), List.of(), NOW));
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }
}
