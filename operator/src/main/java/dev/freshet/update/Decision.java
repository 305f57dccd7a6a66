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
   * A person took this workload's image into their own hands (a {@code kubectl rollout undo}, an
   * edit of the pinned image, {@code freshet hold}): the template keeps what it names, and Freshet
   * updates nothing until a person resumes it. Freshet never fights a person.
   *
   * @param target the pin the template carries now, empty when it names an unpinned image
   * @param why what Freshet found, in words for the status and the Event
   */
  record Hold(Optional<Pin> target, String why) implements Decision {}
}
