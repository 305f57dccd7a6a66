package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.poll.PolicySpec;
import dev.freshet.poll.Resolution;
import dev.freshet.update.Custody;
import dev.freshet.update.Decision;
import dev.freshet.update.ImagePins;
import dev.freshet.update.ImageRecord;
import dev.freshet.update.Pin;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The App's image as the update engine sees it: {@code status.image} read as the engine's {@link
 * ImageRecord}, and written back after a decision. Pure. The image block is always copied whole and
 * then changed field by field, so no path can drop a field of the record.
 */
public final class AppImages {
  static final int QUARANTINE_REMEMBERED = 10;

  private AppImages() {}

  /**
   * Whether Freshet keeps this App's image fresh: a policy other than none, and no digest in the
   * spec.
   */
  public static boolean follows(AppSpec spec) {
    return policy(spec).kind() != PolicySpec.Kind.NONE && !spec.getImage().contains("@");
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
        Optional.ofNullable(update.getOrder()).map(o -> o.name().toLowerCase(Locale.ROOT)),
        Boolean.TRUE.equals(update.getIncludePrerelease()));
  }

  /**
   * What {@code status} recorded for the image the App declares now. The pin and the last good pin
   * count only for that image (after {@code spec.image} changes, nothing of the old image is
   * pinned), and so do the digests left behind by its rollouts; quarantined digests count always: a
   * digest names the same bytes everywhere.
   */
  static ImageRecord record(App app) {
    ImageStatus image = app.getStatus() == null ? null : app.getStatus().getImage();
    List<HistoryEntry> history = app.getStatus() == null ? null : app.getStatus().getHistory();
    List<String> leftBehind = new ArrayList<>();
    if (history != null) {
      history.stream()
          .filter(entry -> app.getSpec().getImage().equals(entry.getImage()))
          // A person's rollback goes away from a newer digest, which its quarantine covers.
          .filter(entry -> !HistoryEntry.ROLLBACK.equals(entry.getCause()))
          .map(HistoryEntry::getFromDigest)
          .filter(Objects::nonNull)
          .forEach(leftBehind::add);
    }
    if (image == null) {
      return new ImageRecord(Optional.empty(), Optional.empty(), List.of(), leftBehind);
    }
    boolean sameImage = app.getSpec().getImage().equals(image.getResolvedFor());
    Optional<Pin> pinned =
        sameImage ? pin(image.getPinnedTag(), image.getPinnedDigest()) : Optional.empty();
    Optional<Pin> lastGood =
        sameImage ? pin(image.getRunningTag(), image.getRunningDigest()) : Optional.empty();
    Optional<Instant> pinnedAt =
        sameImage
            ? Optional.ofNullable(image.getUpdatedAt()).map(Instant::parse)
            : Optional.empty();
    return new ImageRecord(
        pinned,
        lastGood,
        image.getQuarantinedDigests() == null ? List.of() : image.getQuarantinedDigests(),
        leftBehind,
        pinnedAt);
  }

  /** The reference the pod template names for {@code decision}. */
  static String wanted(App app, Decision decision) {
    String declared = app.getSpec().getImage();
    return decision.target().map(pin -> pin.on(declared)).orElse(declared);
  }

  /**
   * The image block after this reconcile: the registry's answer, the decision's pin and quarantine.
   * What runs ({@code runningTag}/{@code runningDigest}) is set by {@link #withCompleted} once the
   * workload reports its rollout done.
   */
  static ImageStatus next(App app, Optional<Resolution> answer, Decision decision, Instant now) {
    String declared = app.getSpec().getImage();
    ImageStatus before = app.getStatus() == null ? null : app.getStatus().getImage();
    ImageStatus image = before == null ? new ImageStatus() : Serialization.clone(before);
    if (!follows(app.getSpec())) {
      image.setResolvedFor(null);
      image.setPinnedTag(null);
      image.setPinnedDigest(null);
      image.setLatestDigest(ImagePins.digest(declared).orElse(null));
      image.setTag(ImagePins.tag(declared).orElse(null));
      image.setPending(null);
      return image;
    }
    if (!declared.equals(image.getResolvedFor())) {
      image.setResolvedFor(null);
      image.setTag(ImagePins.tag(declared).orElse(null));
      image.setLatestDigest(null);
      image.setCheckedAt(null);
      image.setPinnedTag(null);
      image.setPinnedDigest(null);
    }
    answer.ifPresent(
        r -> {
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
    Optional<Pin> target = decision.target();
    if (target.isPresent()) {
      image.setResolvedFor(declared);
    }
    if (!target.equals(pin(image.getPinnedTag(), image.getPinnedDigest()))) {
      image.setPinnedTag(target.map(Pin::tag).orElse(null));
      image.setPinnedDigest(target.map(Pin::digest).orElse(null));
      if (decision instanceof Decision.RollForward || decision instanceof Decision.RollBack) {
        image.setUpdatedAt(seconds(now));
      }
    }
    // Until the registry answers again (after a start, a leader change) what waited still waits:
    // dropping it would restart its minimum age and report the wait once more.
    if (decision instanceof Decision.Wait || answer.isPresent()) {
      image.setPending(AppWaits.pendingOf(decision));
    }
    Set<String> released = AppCustody.of(app).released();
    if (!released.isEmpty() && image.getQuarantinedDigests() != null) {
      image.setQuarantinedDigests(
          released.contains(Custody.ALL)
              ? null
              : image.getQuarantinedDigests().stream().filter(d -> !released.contains(d)).toList());
    }
    if (decision instanceof Decision.RollBack rollBack) {
      image.setQuarantinedDigests(quarantine(image.getQuarantinedDigests(), rollBack.failed()));
    } else if (decision instanceof Decision.Untrusted untrusted && untrusted.quarantine()) {
      image.setQuarantinedDigests(quarantine(image.getQuarantinedDigests(), untrusted.candidate()));
    }
    return image;
  }

  /** The image block once the workload reports the rollout of {@code pinned} done. */
  static ImageStatus withCompleted(ImageStatus image, Optional<Pin> completed) {
    completed.ifPresent(
        pin -> {
          image.setRunningTag(pin.tag());
          image.setRunningDigest(pin.digest());
        });
    return image;
  }

  /** True when the pin recorded in {@code after} differs from {@code before}'s. */
  static boolean pinChanged(ImageStatus before, ImageStatus after) {
    return before == null
        ? after.getPinnedDigest() != null
        : !Objects.equals(before.getPinnedDigest(), after.getPinnedDigest())
            || !Objects.equals(before.getPinnedTag(), after.getPinnedTag());
  }

  static boolean isQuarantined(ImageStatus image, String digest) {
    return image != null
        && image.getQuarantinedDigests() != null
        && image.getQuarantinedDigests().contains(digest);
  }

  private static List<String> quarantine(List<String> before, Pin failed) {
    List<String> quarantined = new ArrayList<>(before == null ? List.of() : before);
    if (!quarantined.contains(failed.digest())) {
      quarantined.add(failed.digest());
    }
    return quarantined.size() > QUARANTINE_REMEMBERED
        ? new ArrayList<>(
            quarantined.subList(quarantined.size() - QUARANTINE_REMEMBERED, quarantined.size()))
        : quarantined;
  }

  /**
   * Whether {@code found} only repeats what the image block says, so its check time is not written:
   * {@code checkedAt} is when the registry gave the answer the block records, not when it was last
   * asked (that is per image, in the poller's metrics). A fresh timestamp per poll or duplicate
   * webhook would patch the status of every App on the image, so a steady state would cost writes
   * that grow with Apps.
   */
  static boolean confirms(ImageStatus image, String declared, Resolution.Found found) {
    return declared.equals(image.getResolvedFor())
        && found.tag().equals(image.getTag())
        && found.digest().equals(image.getLatestDigest())
        && found.refusedHint().isEmpty()
        && image.getCheckedAt() != null;
  }

  static Optional<Pin> pin(String tag, String digest) {
    return tag == null || digest == null ? Optional.empty() : Optional.of(new Pin(tag, digest));
  }

  static String seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
