package dev.freshet.update;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the update engine decided for one workload's image. Each decision names the pin the pod
 * template must carry afterwards ({@link #target()}); empty means the image exactly as declared.
 */
public sealed interface Decision {

  Optional<Pin> target();

  /** Nothing new: the template keeps (or gets back) what was already chosen. */
  record Stay(Optional<Pin> target, String why) implements Decision {}

  /** The registry serves a newer digest: roll forward to it. */
  record RollForward(Pin to, Optional<Pin> from) implements Decision {
    @Override
    public Optional<Pin> target() {
      return Optional.of(to);
    }

    /**
     * Whether this is a workload's first pin (an App's first deploy, a workload Freshet starts to
     * track): no digest ran before, so nothing newer was found, and {@code UpdateFound} is not
     * told; the rollout's own Event says which digest it takes.
     */
    public boolean isFirstPin() {
      return from.isEmpty();
    }
  }

  /**
   * The record names a pin the template does not carry yet (the process stopped between recording
   * it and patching the workload): finish what was started.
   */
  record Resume(Pin to) implements Decision {
    @Override
    public Optional<Pin> target() {
      return Optional.of(to);
    }
  }

  /**
   * The health gate failed: {@code failed} is quarantined and the template goes back to the last
   * good pin, or stays where it is when no rollout ever completed (there is nothing to go back to).
   * A person's {@code freshet rollback} is the same move, {@code asked}: {@code failed} is what
   * they rolled away from.
   */
  record RollBack(Pin failed, Optional<Pin> to, String why, boolean asked) implements Decision {

    /** The health gate's roll back. */
    public RollBack(Pin failed, Optional<Pin> to, String why) {
      this(failed, to, why, false);
    }

    @Override
    public Optional<Pin> target() {
      return to.or(() -> Optional.of(failed));
    }
  }

  /**
   * The registry serves a newer digest whose signature did not verify: the template keeps {@code
   * stayOn} (what it was on), and a refused digest is quarantined.
   *
   * @param reason the condition reason, {@code SignatureInvalid} or {@code VerificationInvalid}
   * @param quarantine true when signatures were found and none is valid; false when the digest is
   *     only withheld for now (unsigned yet, lookup failed, configuration invalid)
   */
  record Untrusted(
      Pin candidate, Optional<Pin> stayOn, String reason, String why, boolean quarantine)
      implements Decision {
    @Override
    public Optional<Pin> target() {
      return stayOn;
    }
  }

  /**
   * The registry serves a newer digest, but the owner's rules say not yet: the template keeps what
   * it carries ({@code target}) and {@code candidate} is recorded as pending. Only a roll forward
   * waits; the health gate's roll back and the resume of an interrupted rollout never do.
   *
   * @param candidate the tag and digest that wait
   * @param target what the template carries meanwhile
   * @param reason what it waits for
   * @param since when Freshet first saw the candidate's digest
   * @param until when the wait ends by itself (a window opens, the digest is old enough); empty
   *     when only a person can end it, or no window ever opens again
   * @param why the whole story, for a status message and an Event
   */
  record Wait(
      Pin candidate,
      Optional<Pin> target,
      Reason reason,
      Instant since,
      Optional<Instant> until,
      String why)
      implements Decision {

    /** What a candidate waits for, with the condition reason that says so. */
    public enum Reason {
      APPROVAL("AwaitingApproval", "Approval"),
      WINDOW("AwaitingWindow", "Window"),
      MATURITY("AwaitingMaturity", "Maturity");

      private final String condition;
      private final String waitingFor;

      Reason(String condition, String waitingFor) {
        this.condition = condition;
        this.waitingFor = waitingFor;
      }

      /** The {@code UpToDate} condition's reason, e.g. {@code AwaitingApproval}. */
      public String condition() {
        return condition;
      }

      /** The value of a pending record's {@code waitingFor}, e.g. {@code Approval}. */
      public String waitingFor() {
        return waitingFor;
      }

      public static Optional<Reason> ofWaitingFor(String text) {
        for (Reason reason : values()) {
          if (reason.waitingFor.equals(text)) {
            return Optional.of(reason);
          }
        }
        return Optional.empty();
      }
    }

    /**
     * How long until the wait may end by itself, for the reconciler to come back then without a
     * poll; a second late so the clock has passed the moment when it looks.
     */
    public Optional<Duration> recheckAfter(Instant now) {
      return until.map(
          at -> {
            Duration left = Duration.between(now, at).plusSeconds(1);
            return left.isNegative() ? Duration.ofSeconds(1) : left;
          });
    }
  }

  /**
   * A person took this workload's image into their own hands (a {@code kubectl rollout undo}, an
   * edit of the pinned image, {@code freshet hold}): the template keeps what it names, and Freshet
   * updates nothing until a person resumes it. Freshet never fights a person.
   *
   * @param target the pin the template carries now, empty when it names an unpinned image
   * @param why what Freshet found, in words for the status and the Event
   */
  record Hold(Optional<Pin> target, String why) implements Decision {}
}
