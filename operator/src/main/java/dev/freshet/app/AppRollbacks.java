package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.update.ImagePins;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health gate of a rollout. When the workload's controller gave up on the template Freshet pinned
 * (a Deployment past its progress deadline), that digest is rejected: the App goes back to the last
 * digest whose rollout succeeded, through the same rolling update, and the rejected digest is never
 * pinned again. A newer digest is tried as usual.
 */
final class AppRollbacks {
  static final int REMEMBERED = 10;

  private AppRollbacks() {}

  /**
   * Rejects the latest digest if the existing workload stalled while naming it; returns what happened,
   * for an Event, or empty. Mutates {@code image}.
   */
  static Optional<String> rejectStalled(App app, ImageStatus image, WorkloadState existing, String templateImage) {
    String latest = image.getLatestDigest();
    if (existing == null || existing.stalledMessage() == null || latest == null
        || AppImages.isRejected(image, latest)
        || !ImagePins.digest(templateImage).map(latest::equals).orElse(false)) {
      return Optional.empty();
    }
    List<String> rejected = new ArrayList<>(image.getRejectedDigests() == null ? List.of() : image.getRejectedDigests());
    rejected.add(latest);
    image.setRejectedDigests(rejected.size() > REMEMBERED
        ? new ArrayList<>(rejected.subList(rejected.size() - REMEMBERED, rejected.size()))
        : rejected);
    String target = AppImages.lastGood(image).map(good -> good[0] + "@" + good[1])
        .orElse(app.getSpec().getImage() + " (no earlier rollout succeeded)");
    return Optional.of("rollout of " + image.getTag() + "@" + latest + " did not become available within "
        + DesiredDeployment.progressDeadline(app) + " s (" + existing.stalledMessage() + "); rolling back to "
        + target + "; " + latest + " will not be tried again");
  }
}
