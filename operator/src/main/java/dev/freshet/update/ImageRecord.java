package dev.freshet.update;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Freshet recorded about one workload's image, in the API server (an App's {@code
 * status.image}, a tracked workload's status annotations), so a restart or a new leader decides
 * from it and never from memory.
 *
 * @param pinned the pin Freshet last chose: written before the workload is patched, so a restart
 *     resumes it instead of guessing
 * @param lastGood the last pin whose rollout completed: where the health gate rolls back to
 * @param quarantined digests that failed their health gate: never pinned again
 * @param leftBehind digests the workload was rolled away from: older than what runs, so never
 *     pinned again by an update (only the health gate goes back, and only to {@code lastGood})
 * @param pinnedAt when the pin last changed, if known: a stall reported before it is not the pin's
 */
public record ImageRecord(
    Optional<Pin> pinned,
    Optional<Pin> lastGood,
    List<String> quarantined,
    List<String> leftBehind,
    Optional<Instant> pinnedAt) {

  public static final ImageRecord EMPTY =
      new ImageRecord(Optional.empty(), Optional.empty(), List.of(), List.of());

  /** A record that does not know when its pin changed. */
  public ImageRecord(
      Optional<Pin> pinned,
      Optional<Pin> lastGood,
      List<String> quarantined,
      List<String> leftBehind) {
    this(pinned, lastGood, quarantined, leftBehind, Optional.empty());
  }

  public ImageRecord {
    quarantined = List.copyOf(quarantined);
    leftBehind = List.copyOf(leftBehind);
  }

  /**
   * This record with {@code released} digests ({@link Custody#ALL} for every one) out of quarantine
   * and no longer counted as left behind: a person asked that they may be pinned again.
   */
  public ImageRecord releasing(Set<String> released) {
    if (released.isEmpty()) {
      return this;
    }
    boolean all = released.contains(Custody.ALL);
    return new ImageRecord(
        pinned,
        lastGood,
        all ? List.of() : quarantined.stream().filter(d -> !released.contains(d)).toList(),
        leftBehind.stream().filter(d -> !all && !released.contains(d)).toList(),
        pinnedAt);
  }

  public boolean isQuarantined(String digest) {
    return quarantined.contains(digest);
  }

  boolean wasLeftBehind(String digest) {
    return leftBehind.contains(digest);
  }
}
