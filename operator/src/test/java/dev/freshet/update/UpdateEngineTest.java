package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.poll.Resolution;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one decision of the update path. Each case is a situation a crash, an error or a registry can
 * leave a workload in; none of them may move it to an older digest.
 */
class UpdateEngineTest {
  private static final Pin D0 = new Pin("dev", digest('0'));
  private static final Pin D1 = new Pin("dev", digest('1'));
  private static final Pin D2 = new Pin("dev", digest('2'));
  private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
  private static final RolloutState DONE = new RolloutState(2, 2, 2, 2, true, true, null);
  private static final RolloutState STALLED =
      new RolloutState(2, 3, 2, 1, true, false, "ReplicaSet web-2 has timed out progressing.");

  @Test
  void withoutAnAnswerATemplateAheadOfTheRecordIsKept() {
    // An older Freshet patched the workload to D1 and died before recording it.
    var record = record(Optional.of(D0), Optional.of(D0), List.of(), List.of());

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, Optional.empty(), done());

    assertThat(decision).isInstanceOf(Decision.Stay.class);
    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aRecordedPinTheTemplateDoesNotCarryYetIsResumed() {
    // D1 was recorded, then the process died before the patch: D0 is what the record left.
    var record = record(Optional.of(D1), Optional.of(D0), List.of(), List.of(D0.digest()));

    Decision decision = UpdateEngine.decide(Optional.of(D0), record, Optional.empty(), done());

    assertThat(decision).isEqualTo(new Decision.Resume(D1));
  }

  @Test
  void theSameAnswerAgainChangesNothing() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of(D0.digest()));

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D1), done());

    assertThat(decision).isInstanceOf(Decision.Stay.class);
    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aNewDigestRollsForwardFromWhatRuns() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of(D0.digest()));

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done());

    assertThat(decision).isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void aQuarantinedDigestIsNeverPinnedAgain() {
    var record =
        record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of(D0.digest()));

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done());

    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aDigestTheWorkloadLeftBehindIsNotRolledBackTo() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of(D0.digest()));

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D0), done());

    assertThat(decision).isInstanceOf(Decision.Stay.class);
    assertThat(decision.target()).contains(D1);
    assertThat(((Decision.Stay) decision).why()).contains("never rolls backward");
  }

  @Test
  void aStalledRolloutGoesBackToTheLastGoodPin() {
    var record = record(Optional.of(D2), Optional.of(D1), List.of(), List.of(D1.digest()));

    Decision decision =
        UpdateEngine.decide(Optional.of(D2), record, found(D2), Optional.of(STALLED));

    assertThat(decision)
        .isEqualTo(new Decision.RollBack(D2, Optional.of(D1), STALLED.stalledMessage()));
  }

  @Test
  void aStatusThatHasNotSeenTheCurrentTemplateJudgesNothing() {
    var stale = new RolloutState(2, 3, 2, 1, false, false, STALLED.stalledMessage());
    var record = record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of());

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), Optional.of(stale));

    assertThat(decision).isInstanceOf(Decision.Stay.class);
    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aFirstRolloutThatStallsIsQuarantinedButHasNowhereToGo() {
    var record = record(Optional.of(D1), Optional.empty(), List.of(), List.of());

    Decision decision =
        UpdateEngine.decide(Optional.of(D1), record, found(D1), Optional.of(STALLED));

    assertThat(decision).isInstanceOf(Decision.RollBack.class);
    assertThat(((Decision.RollBack) decision).to()).isEmpty();
    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aRollbackRecordedButNotYetAppliedIsResumed() {
    // The template still carries the quarantined D2; the record says D1.
    var record =
        record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of(D1.digest()));

    Decision decision =
        UpdateEngine.decide(Optional.of(D2), record, found(D2), Optional.of(STALLED));

    assertThat(decision).isEqualTo(new Decision.Resume(D1));
  }

  @Test
  void withNothingRecordedAndNoAnswerTheDeclaredImageStays() {
    Decision decision =
        UpdateEngine.decide(
            Optional.empty(), ImageRecord.EMPTY, Optional.empty(), Optional.empty());

    assertThat(decision.target()).isEmpty();
  }

  @Test
  void aFailedCheckKeepsWhatRuns() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of());
    var failed = new Resolution.Failed("Unreachable", "refused", Optional.empty(), NOW);

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, Optional.of(failed), done());

    assertThat(decision.target()).contains(D1);
  }

  @Test
  void aDigestWhoseSignatureIsRefusedIsQuarantinedAndTheTemplateStays() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of());
    SignatureGate refuses = candidate -> new SignatureGate.Outcome.Refused("wrong key");

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), refuses);

    assertThat(decision)
        .isEqualTo(
            new Decision.Untrusted(D2, Optional.of(D1), "SignatureInvalid", "wrong key", true));
    assertThat(decision.target()).contains(D1);
  }

  @Test
  void anUnsignedDigestIsWithheldNotQuarantined() {
    var record = record(Optional.empty(), Optional.empty(), List.of(), List.of());
    SignatureGate unsigned =
        candidate -> new SignatureGate.Outcome.Withheld("SignatureInvalid", "no signature");

    Decision decision = UpdateEngine.decide(Optional.empty(), record, found(D2), done(), unsigned);

    assertThat(decision)
        .isEqualTo(
            new Decision.Untrusted(
                D2, Optional.empty(), "SignatureInvalid", "no signature", false));
    assertThat(decision.target()).isEmpty();
  }

  @Test
  void theGateIsAskedOnlyAboutADigestAboutToBePinned() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of());
    SignatureGate mustNotBeAsked =
        candidate -> {
          throw new AssertionError("asked about " + candidate);
        };

    assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D1), done(), mustNotBeAsked))
        .isInstanceOf(Decision.Stay.class);
    assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), mustNotBeAsked))
        .isInstanceOf(Decision.Stay.class);
    assertThat(
            UpdateEngine.decide(Optional.of(D1), record, Optional.empty(), done(), mustNotBeAsked))
        .isInstanceOf(Decision.Stay.class);
  }

  @Test
  void aSignedDigestRollsForward() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of());

    Decision decision =
        UpdateEngine.decide(
            Optional.of(D1), record, found(D2), done(), candidate -> SignatureGate.Outcome.PASSED);

    assertThat(decision).isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void aTemplateSomeoneElseChangedIsHeldWhereTheRecordIsWrittenWithTheTemplate() {
    // Freshet pinned D2 with its record; a rollout undo put D1 back.
    var record = record(Optional.of(D2), Optional.of(D2), List.of(), List.of(D1.digest()));
    var custody = new Custody(Optional.empty(), false, true);

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), custody);

    assertThat(decision).isInstanceOf(Decision.Hold.class);
    assertThat(decision.target()).contains(D1);
    assertThat(((Decision.Hold) decision).why()).contains(D1.toString(), D2.toString());
  }

  @Test
  void aTemplateAndRecordRestoredTogetherAreHeldWhenAnotherManagerSetTheImage() {
    // A Deployment's rollout undo restores the annotations with the template: the record agrees
    // with the template again, and only the image field's manager tells.
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of());
    var custody = new Custody(Optional.empty(), false, true).with(Optional.of("kubectl"));

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), custody);

    assertThat(decision).isInstanceOf(Decision.Hold.class);
    assertThat(((Decision.Hold) decision).why()).contains("kubectl");
  }

  @Test
  void theSameDifferenceIsAResumeWhereTheRecordIsWrittenFirst() {
    var record = record(Optional.of(D2), Optional.of(D1), List.of(), List.of(D1.digest()));

    Decision decision =
        UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), Custody.FRESHET);

    assertThat(decision).isEqualTo(new Decision.Resume(D2));
  }

  @Test
  void aRecordedHoldKeepsTheTemplateWhateverTheRegistrySays() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of());
    var custody = new Custody(Optional.of("held by a person"), false, true);

    Decision decision = UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), custody);

    assertThat(decision).isEqualTo(new Decision.Hold(Optional.of(D1), "held by a person"));
  }

  @Test
  void aResumeStartsFromThePersonsImageAndRollsToTheNewest() {
    var record = record(Optional.of(D2), Optional.of(D2), List.of(), List.of(D1.digest()));
    var custody = new Custody(Optional.of("held"), true, true);

    assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D0), done(), custody))
        .isEqualTo(new Decision.RollForward(D0, Optional.of(D1)));
    assertThat(UpdateEngine.decide(Optional.of(D1), record, Optional.empty(), done(), custody))
        .isEqualTo(new Decision.Stay(Optional.of(D1), "no newer answer from the registry"));
  }

  @Test
  void aPersonsRollbackPinsTheAskedDigestAndQuarantinesWhatRan() {
    var record = record(Optional.of(D2), Optional.of(D2), List.of(), List.of(D1.digest()));
    var custody = Custody.FRESHET.asking(Optional.of(D1), Set.of());

    Decision decision = UpdateEngine.decide(Optional.of(D2), record, found(D2), done(), custody);

    assertThat(decision)
        .isEqualTo(
            new Decision.RollBack(
                D2, Optional.of(D1), "rolled back by a person (freshet rollback)", true));
  }

  @Test
  void aPersonsRollbackGoesAheadOfAHold() {
    var record = record(Optional.of(D2), Optional.of(D2), List.of(), List.of());
    var custody =
        new Custody(Optional.of("held by a person"), false, true).asking(Optional.of(D1), Set.of());

    assertThat(UpdateEngine.decide(Optional.of(D2), record, found(D2), done(), custody))
        .isInstanceOf(Decision.RollBack.class)
        .extracting(Decision::target)
        .isEqualTo(Optional.of(D1));
  }

  @Test
  void aRollbackToAQuarantinedDigestIsRefusedAndOneAlreadyDoneStays() {
    var quarantined = record(Optional.of(D2), Optional.of(D2), List.of(D1.digest()), List.of());
    var custody = Custody.FRESHET.asking(Optional.of(D1), Set.of());

    Decision refused =
        UpdateEngine.decide(Optional.of(D2), quarantined, found(D2), done(), custody);
    assertThat(refused).isInstanceOf(Decision.Stay.class);
    assertThat(refused.target()).contains(D2);
    assertThat(((Decision.Stay) refused).why()).contains("quarantined", "freshet unquarantine");

    var done = record(Optional.of(D1), Optional.of(D2), List.of(D2.digest()), List.of());
    assertThat(UpdateEngine.decide(Optional.of(D1), done, found(D2), done(), custody))
        .isInstanceOf(Decision.Stay.class)
        .extracting(Decision::target)
        .isEqualTo(Optional.of(D1));
  }

  @Test
  void aReleasedDigestIsTriedAgainWhenTheRegistryStillNamesIt() {
    // D2 failed its gate and was quarantined; the workload went back to D1.
    var record = record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of());

    assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D2), done()))
        .isInstanceOf(Decision.Stay.class);
    for (String released : List.of(D2.digest(), Custody.ALL)) {
      var custody = Custody.FRESHET.asking(Optional.empty(), Set.of(released));
      assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), custody))
          .isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
    }
  }

  @Test
  void aDigestAPersonRolledAwayFromAndReleasedIsTriedAgain() {
    // A person rolled D2 back to D1, and the D1-to-D2 rollout left D1 behind.
    var record =
        record(Optional.of(D1), Optional.of(D1), List.of(D2.digest()), List.of(D2.digest()));
    var custody = Custody.FRESHET.asking(Optional.empty(), Set.of(D2.digest()));

    assertThat(UpdateEngine.decide(Optional.of(D1), record, found(D2), done(), custody))
        .isEqualTo(new Decision.RollForward(D2, Optional.of(D1)));
  }

  @Test
  void aStallOfTheLastGoodPinIsNotItsRolloutsAndQuarantinesNothing() {
    var record = record(Optional.of(D1), Optional.of(D1), List.of(), List.of(D0.digest()));

    Decision decision =
        UpdateEngine.decide(Optional.of(D1), record, found(D1), Optional.of(STALLED));

    assertThat(decision).isInstanceOf(Decision.Stay.class);
  }

  @Test
  void aQuarantinedDigestStillInTheTemplateIsRolledBackToTheLastGoodPin() {
    // The quarantine was written, then the process stopped before the template went back.
    var record = record(Optional.of(D2), Optional.of(D1), List.of(D2.digest()), List.of());

    Decision decision = UpdateEngine.decide(Optional.of(D2), record, found(D2), done());

    assertThat(decision).isInstanceOf(Decision.RollBack.class);
    assertThat(decision.target()).contains(D1);
  }

  private static ImageRecord record(
      Optional<Pin> pinned, Optional<Pin> lastGood, List<String> quarantined, List<String> left) {
    return new ImageRecord(pinned, lastGood, quarantined, left);
  }

  private static Optional<Resolution> found(Pin pin) {
    return Optional.of(new Resolution.Found(pin.tag(), pin.digest(), List.of(), NOW));
  }

  private static Optional<RolloutState> done() {
    return Optional.of(DONE);
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }
}
