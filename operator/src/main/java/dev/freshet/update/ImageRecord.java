package dev.freshet.update;

import java.util.List;
import java.util.Optional;

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
 */
public record ImageRecord(
    Optional<Pin> pinned,
    Optional<Pin> lastGood,
    List<String> quarantined,
    List<String> leftBehind) {

  public static final ImageRecord EMPTY =
      new ImageRecord(Optional.empty(), Optional.empty(), List.of(), List.of());

  public ImageRecord {
    quarantined = List.copyOf(quarantined);
    leftBehind = List.copyOf(leftBehind);
  }

  public boolean isQuarantined(String digest) {
    return quarantined.contains(digest);
  }

  boolean wasLeftBehind(String digest) {
    return leftBehind.contains(digest);
  }
}
