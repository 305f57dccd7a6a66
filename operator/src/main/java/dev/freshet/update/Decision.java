package dev.freshet.update;

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
   */
  record RollBack(Pin failed, Optional<Pin> to, String why) implements Decision {
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
}
