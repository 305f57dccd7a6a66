package dev.freshet.update;

import dev.freshet.poll.Resolution;
import java.time.Instant;
import java.util.Optional;

/**
 * The one decision of the update path, for Apps and tracked workloads alike: given what the
 * workload's template pins now, what Freshet recorded, the registry's latest answer and the state
 * of the rollout, which pin the template must carry. Pure: the reconcilers gather the inputs,
 * record the decision before they patch the workload, then apply it.
 *
 * <p>Three rules make it safe under crashes and errors:
 *
 * <ul>
 *   <li>The record decides, not memory: "the registry has not answered yet" means keep what runs or
 *       finish what was recorded, never go back to an older answer.
 *   <li>What runs is a floor: a digest the workload was rolled away from is never pinned again by
 *       an update; only the health gate goes back, and only to the last pin whose rollout
 *       completed.
 *   <li>A quarantined digest is never pinned again, whatever the registry says.
 *   <li>A digest is pinned only after its {@link SignatureGate} passed it: one place decides that
 *       an unverified digest never reaches a template.
 * </ul>
 */
public final class UpdateEngine {
  private UpdateEngine() {}

  /**
   * @param running the pin the workload's template carries now, empty when it names an unpinned tag
   *     or the workload does not exist yet
   * @param record what Freshet recorded for this image (for the image the workload declares now)
   * @param answer the registry's latest answer, if one came since this process started
   * @param rollout the workload's rollout of its current template, if the workload exists
   */
  public static Decision decide(
      Optional<Pin> running,
      ImageRecord record,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout) {
    return decide(
        running,
        record,
        answer,
        rollout,
        Custody.FRESHET,
        SignatureGate.OPEN,
        Waits.NONE,
        Instant.EPOCH);
  }

  /**
   * {@link #decide(Optional, ImageRecord, Optional, Optional)} for a workload that only runs signed
   * images: {@code gate} is asked about a digest only when everything else says roll forward to it.
   */
  public static Decision decide(
      Optional<Pin> running,
      ImageRecord record,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout,
      SignatureGate gate) {
    return decide(
        running, record, answer, rollout, Custody.FRESHET, gate, Waits.NONE, Instant.EPOCH);
  }

  /**
   * The same, where a roll forward may have to {@link Decision.Wait wait} for an approval, a
   * maintenance window or a minimum age.
   */
  public static Decision decide(
      Optional<Pin> running,
      ImageRecord record,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout,
      Waits waits,
      Instant now) {
    return decide(
        running, record, answer, rollout, Custody.FRESHET, SignatureGate.OPEN, waits, now);
  }

  /**
   * As {@link #decide(Optional, ImageRecord, Optional, Optional)}, leaving a person's choice alone:
   * a recorded hold, or a template that names another pin than the one Freshet wrote with it, holds
   * updates until a person resumes them; a resume makes the template's pin the base.
   */
  public static Decision decide(
      Optional<Pin> running,
      ImageRecord record,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout,
      Custody custody) {
    return decide(
        running, record, answer, rollout, custody, SignatureGate.OPEN, Waits.NONE, Instant.EPOCH);
  }

  /**
   * The whole decision. A digest that would roll forward is first checked by {@code gate} (only
   * signed images are pinned, and only they may wait for approval), then by the owner's rules for
   * when updates happen. The first pin of an image the workload names by tag alone never waits: it
   * pins the digest the tag names, which is the image the workload already asked for.
   *
   * @param custody whether a person holds the image, or asked to resume
   * @param gate the signature check a new digest must pass, {@link SignatureGate#OPEN} for none
   * @param waits the owner's rules for when updates happen and what the API server holds of them
   * @param now the time the rules are judged at
   */
  public static Decision decide(
      Optional<Pin> running,
      ImageRecord recorded,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout,
      Custody custody,
      SignatureGate gate,
      Waits waits,
      Instant now) {
    // On resume the person's image is where updates start again: the record's pin is what they
    // undid.
    ImageRecord released = recorded.releasing(custody.released());
    ImageRecord record =
        custody.resumeAsked()
            ? new ImageRecord(
                running,
                released.lastGood(),
                released.quarantined(),
                released.leftBehind(),
                Optional.empty())
            : released;
    if (custody.rollbackTo().isPresent()) {
      // Before any hold: a person who asks to go back has taken the image into their hands.
      return rollBackAsked(running, record, custody.rollbackTo().get());
    }
    if (!custody.resumeAsked() && custody.held().isPresent()) {
      return new Decision.Hold(running, custody.held().get());
    }
    if (!custody.resumeAsked()
        && custody.recordChangesWithTemplate()
        && record.pinned().isPresent()
        && (!running.equals(record.pinned()) || custody.imageTakenBy().isPresent())) {
      String found =
          !running.equals(record.pinned())
              ? "the template names "
                  + running.map(Pin::toString).orElse("an unpinned image")
                  + ", not "
                  + record.pinned().get()
                  + " which Freshet pinned"
              : "the template names "
                  + running.map(Pin::toString).orElse("an unpinned image")
                  + ", set by "
                  + custody.imageTakenBy().get()
                  + " after Freshet pinned "
                  + record.pinned().get();
      return new Decision.Hold(
          running,
          found
              + ": someone else changed it (a rollout undo or an edit), so Freshet holds updates"
              + " until resumed (freshet resume)");
    }
    Optional<Pin> base = base(running, record);
    if (base.isPresent()
        && base.equals(running)
        // A stall of the last good pin is not its own rollout's (a rollback still settling, pods
        // lost later): going "back" from it would quarantine the one digest known to work.
        && !record.lastGood().equals(base)
        // Only a status that has seen the current template judges it: right after a patch the
        // cached status still describes the template before. Whether a stall is the pin's own
        // (its deadline since the pin has passed) is RolloutState's to say.
        && rollout.map(r -> r.current() && r.isStalled()).orElse(false)
        && !record.isQuarantined(base.get().digest())) {
      Pin failed = base.get();
      Optional<Pin> good =
          record
              .lastGood()
              .filter(pin -> !pin.equals(failed) && !record.isQuarantined(pin.digest()));
      return new Decision.RollBack(failed, good, rollout.get().stalledMessage());
    }
    Optional<Pin> goodToReturnTo =
        record.lastGood().filter(pin -> !record.isQuarantined(pin.digest()));
    if (base.isPresent()
        && base.equals(running)
        && record.isQuarantined(base.get().digest())
        && goodToReturnTo.isPresent()) {
      // The quarantine was recorded but the template still runs the digest (the process stopped
      // between the two writes, or the digest was quarantined for another reason): finish going
      // back.
      return new Decision.RollBack(
          base.get(), goodToReturnTo, base.get().digest() + " is quarantined");
    }
    if (answer.isPresent() && answer.get() instanceof Resolution.Found found) {
      Pin latest = new Pin(found.tag(), found.digest());
      if (record.isQuarantined(latest.digest())) {
        return stay(
            base,
            running,
            latest + " is quarantined (it failed its health gate or its signature check)");
      }
      if (base.isPresent() && base.get().equals(latest)) {
        return stay(base, running, "running the newest digest");
      }
      if (record.wasLeftBehind(latest.digest())
          && !base.map(pin -> pin.digest().equals(latest.digest())).orElse(false)) {
        return stay(
            base,
            running,
            "the registry names "
                + latest
                + ", which this workload was rolled away from; Freshet never rolls backward on its"
                + " own (name the digest in the image to go back)");
      }
      SignatureGate.Outcome outcome = gate.check(latest);
      if (outcome instanceof SignatureGate.Outcome.Refused refused) {
        return new Decision.Untrusted(latest, base, "SignatureInvalid", refused.why(), true);
      }
      if (outcome instanceof SignatureGate.Outcome.Withheld withheld) {
        return new Decision.Untrusted(latest, base, withheld.reason(), withheld.why(), false);
      }
      if (base.isPresent()) {
        Optional<Decision.Wait> wait = waits.hold(latest, base, now);
        if (wait.isPresent()) {
          return wait.get();
        }
      }
      return new Decision.RollForward(latest, base);
    }
    return stay(base, running, "no newer answer from the registry");
  }

  /**
   * A person's {@code freshet rollback}: the pin the workload is on is quarantined, so the
   * registry's answer does not bring it straight back, and {@code to} is pinned. A quarantined
   * {@code to} is refused (its release is a separate, deliberate step), and a workload already on
   * {@code to} stays: the request was carried out before.
   */
  private static Decision rollBackAsked(Optional<Pin> running, ImageRecord record, Pin to) {
    Optional<Pin> base = base(running, record);
    if (base.map(pin -> pin.digest().equals(to.digest())).orElse(false)) {
      return stay(base, running, "rolled back to " + to + " as a person asked");
    }
    if (record.isQuarantined(to.digest())) {
      return stay(
          base,
          running,
          "a rollback to "
              + to
              + " was asked, but "
              + to.digest()
              + " is quarantined; release it first (freshet unquarantine)");
    }
    if (base.isEmpty()) {
      return new Decision.Stay(
          base, "a rollback to " + to + " was asked, but Freshet pinned nothing to go back from");
    }
    return new Decision.RollBack(
        base.get(), Optional.of(to), "rolled back by a person (freshet rollback)", true);
  }

  /**
   * What the workload is on, as far as updates go. The record wins where it is newer than the
   * template (the template is older when it carries a digest the record left behind or quarantined:
   * a crash between recording and patching, or a rollback not yet applied); otherwise the template
   * is the floor, even when the record does not know it (a pin applied just before a crash by an
   * older Freshet, or by a person).
   */
  static Optional<Pin> base(Optional<Pin> running, ImageRecord record) {
    if (record.pinned().isEmpty()) {
      return running;
    }
    if (running.isEmpty() || running.equals(record.pinned())) {
      return record.pinned();
    }
    String digest = running.get().digest();
    boolean templateIsOlder = record.isQuarantined(digest) || record.wasLeftBehind(digest);
    return templateIsOlder ? record.pinned() : running;
  }

  private static Decision stay(Optional<Pin> base, Optional<Pin> running, String why) {
    if (base.isPresent() && !base.equals(running)) {
      return new Decision.Resume(base.get());
    }
    return new Decision.Stay(base, why);
  }
}
