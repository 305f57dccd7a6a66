package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.poll.PolicySpec;
import dev.freshet.poll.Resolution;
import dev.freshet.update.ImagePins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The App's image as the update engine sees it. Pure: the image the workload should run is the
 * declared one with the digest (and, for semver and pattern policies, the tag) that the registry last
 * answered pinned into it, as recorded in {@code status.image}, so the desired state is a function of
 * the App alone and survives restarts.
 */
public final class AppImages {
  /** How stale {@code status.image.checkedAt} may grow while the registry keeps answering the same. */
  static final Duration CHECKED_AT_REFRESH = Duration.ofMinutes(5);

  private AppImages() {}

  /** Whether Freshet keeps this App's image fresh: a policy other than none, and no digest in the spec. */
  public static boolean follows(AppSpec spec) {
    return policy(spec).kind() != PolicySpec.Kind.NONE && !spec.getImage().contains("@");
  }

  /**
   * The reference the pod template names: the latest digest, unless its rollout failed; then the last
   * rollout that succeeded, or the declared image when none did.
   */
  public static String wanted(App app) {
    String declared = app.getSpec().getImage();
    ImageStatus image = app.getStatus() == null ? null : app.getStatus().getImage();
    if (!follows(app.getSpec())
        || image == null
        || image.getLatestDigest() == null
        || image.getTag() == null
        || !declared.equals(image.getResolvedFor())) {
      return declared;
    }
    if (isRejected(image, image.getLatestDigest())) {
      return lastGood(image).map(good -> ImagePins.pin(declared, good[0], good[1])).orElse(declared);
    }
    return ImagePins.pin(declared, image.getTag(), image.getLatestDigest());
  }

  static boolean isRejected(ImageStatus image, String digest) {
    return image != null && image.getRejectedDigests() != null && image.getRejectedDigests().contains(digest);
  }

  /** The tag and digest the pods ran last when their rollout had finished, unless since rejected. */
  static Optional<String[]> lastGood(ImageStatus image) {
    if (image.getRunningDigest() == null || image.getRunningTag() == null
        || isRejected(image, image.getRunningDigest())) {
      return Optional.empty();
    }
    return Optional.of(new String[] {image.getRunningTag(), image.getRunningDigest()});
  }

  /** {@code spec.update} as the poller's policy. */
  public static PolicySpec policy(AppSpec spec) {
    UpdateSpec update = spec.getUpdate();
    if (update == null) {
      return PolicySpec.digest();
    }
    return new PolicySpec(
        PolicySpec.Kind.parse(update.getPolicy().name()),
        Optional.ofNullable(update.getSemver()),
        Optional.ofNullable(update.getPattern()),
        Optional.ofNullable(update.getOrder()).map(o -> o.name().toLowerCase(Locale.ROOT)));
  }

  /**
   * The image block after a registry answer: the latest tag and digest, and when they were checked.
   * The running digest is the caller's to set, from the workload.
   */
  public static ImageStatus next(App app, Optional<Resolution> resolution) {
    String declared = app.getSpec().getImage();
    ImageStatus before = app.getStatus() == null ? null : app.getStatus().getImage();
    var image = new ImageStatus();
    image.setTag(ImageTags.tagOf(declared));
    if (before != null) {
      image.setRunningDigest(before.getRunningDigest());
      image.setRunningTag(before.getRunningTag());
      image.setRejectedDigests(before.getRejectedDigests());
      image.setUpdatedAt(before.getUpdatedAt());
      if (declared.equals(before.getResolvedFor())) {
        image.setResolvedFor(before.getResolvedFor());
        image.setTag(before.getTag());
        image.setLatestDigest(before.getLatestDigest());
        image.setCheckedAt(before.getCheckedAt());
      }
    }
    if (!follows(app.getSpec())) {
      image.setResolvedFor(null);
      image.setLatestDigest(ImagePins.digest(declared).orElse(null));
      image.setTag(ImageTags.tagOf(declared));
      return image;
    }
    resolution.ifPresent(r -> {
      boolean repeat = r instanceof Resolution.Found found && confirms(image, declared, found);
      if (!repeat) {
        image.setCheckedAt(seconds(r.checkedAt()));
      }
      if (r instanceof Resolution.Found found) {
        image.setResolvedFor(declared);
        image.setTag(found.tag());
        image.setLatestDigest(found.digest());
      }
    });
    return image;
  }

  /**
   * Whether {@code found} only repeats what the image block says, recently enough that its check time
   * need not be written: every poll and every duplicate webhook would otherwise patch the status of
   * every App on the image, so a steady state would cost writes that grow with Apps.
   */
  static boolean confirms(ImageStatus image, String declared, Resolution.Found found) {
    return declared.equals(image.getResolvedFor())
        && found.tag().equals(image.getTag())
        && found.digest().equals(image.getLatestDigest())
        && found.refusedHint().isEmpty()
        && image.getCheckedAt() != null
        && Duration.between(Instant.parse(image.getCheckedAt()), found.checkedAt()).compareTo(CHECKED_AT_REFRESH) < 0;
  }

  /** True when {@code after} pins something {@code before} did not: a rollout starts. */
  public static boolean startsRollout(ImageStatus before, ImageStatus after) {
    if (after.getLatestDigest() == null || after.getResolvedFor() == null) {
      return false;
    }
    return before == null
        || !after.getLatestDigest().equals(before.getLatestDigest())
        || !after.getTag().equals(before.getTag())
        || !after.getResolvedFor().equals(before.getResolvedFor());
  }

  static String seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
