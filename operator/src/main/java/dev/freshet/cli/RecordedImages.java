package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.tracked.TrackedRecord;
import dev.freshet.update.Pin;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Freshet recorded of an App's or a tracked workload's images, read the same way for both: per
 * container, the pin it is on, its quarantined digests and the pins it ran, newest first. An App
 * has one container, named {@code app} here.
 */
record RecordedImages(
    boolean app,
    Map<String, Pin> pinned,
    Map<String, List<String>> quarantined,
    Map<String, List<Pin>> ran) {

  static final String APP_CONTAINER = "app";

  static RecordedImages of(HasMetadata object) {
    if (object instanceof App app) {
      return ofApp(app);
    }
    Map<String, String> annotations =
        Optional.ofNullable(object.getMetadata().getAnnotations()).orElse(Map.of());
    Map<String, Pin> pinned =
        TrackedRecord.pins(annotations.get(TrackedRecord.PINNED)).orElse(Map.of());
    Map<String, List<String>> quarantined = new TreeMap<>();
    Map<String, List<Pin>> ran = new TreeMap<>();
    for (String container : pinned.keySet()) {
      quarantined.put(container, TrackedRecord.quarantined(annotations, container));
      ran.put(container, new ArrayList<>());
    }
    for (HistoryCommand.Rollout rollout : HistoryCommand.rollouts(object)) {
      if (rollout.tag() != null && rollout.toDigest() != null) {
        ran.computeIfAbsent(rollout.container(), c -> new ArrayList<>())
            .add(new Pin(rollout.tag(), rollout.toDigest()));
      }
    }
    return new RecordedImages(false, pinned, quarantined, ran);
  }

  private static RecordedImages ofApp(App app) {
    var status = app.getStatus();
    var image = status == null ? null : status.getImage();
    Map<String, Pin> pinned = new LinkedHashMap<>();
    if (image != null && image.getPinnedTag() != null && image.getPinnedDigest() != null) {
      pinned.put(APP_CONTAINER, new Pin(image.getPinnedTag(), image.getPinnedDigest()));
    }
    List<String> quarantined =
        image == null || image.getQuarantinedDigests() == null
            ? List.of()
            : image.getQuarantinedDigests();
    List<HistoryEntry> history =
        status == null || status.getHistory() == null ? List.of() : status.getHistory();
    // Each rollout ran its target after its origin; a refused digest never ran.
    List<Pin> ran = new ArrayList<>();
    for (HistoryEntry entry : history) {
      if (!app.getSpec().getImage().equals(entry.getImage())
          || "SignatureInvalid".equals(entry.getOutcome())) {
        continue;
      }
      ran.add(new Pin(entry.getTag(), entry.getToDigest()));
      if (entry.getFromDigest() != null) {
        ran.add(
            new Pin(tagOf(history, entry.getFromDigest(), entry.getTag()), entry.getFromDigest()));
      }
    }
    return new RecordedImages(
        true, pinned, Map.of(APP_CONTAINER, quarantined), Map.of(APP_CONTAINER, ran));
  }

  /** The tag a rollout to {@code digest} was made under, else {@code fallback}. */
  private static String tagOf(List<HistoryEntry> history, String digest, String fallback) {
    return history.stream()
        .filter(e -> digest.equals(e.getToDigest()) && e.getTag() != null)
        .map(HistoryEntry::getTag)
        .findFirst()
        .orElse(fallback);
  }

  /**
   * The pin {@code container} ran before the one it is on, skipping quarantined digests: what a
   * rollback without {@code --to} goes back to.
   */
  Optional<Pin> previous(String container) {
    Pin current = pinned.get(container);
    List<Pin> history = ran.getOrDefault(container, List.of());
    List<String> bad = quarantined.getOrDefault(container, List.of());
    boolean pastCurrent = false;
    for (Pin pin : history) {
      if (current != null && pin.digest().equals(current.digest())) {
        pastCurrent = true;
      } else if (pastCurrent && !bad.contains(pin.digest())) {
        return Optional.of(pin);
      }
    }
    return Optional.empty();
  }

  /** The pin that names {@code digest} in {@code container}'s history, or with its current tag. */
  Optional<Pin> pinFor(String container, String digest) {
    return ran.getOrDefault(container, List.of()).stream()
        .filter(pin -> pin.digest().equals(digest))
        .findFirst()
        .or(() -> Optional.ofNullable(pinned.get(container)).map(p -> new Pin(p.tag(), digest)));
  }

  boolean ran(String container, String digest) {
    return ran.getOrDefault(container, List.of()).stream().anyMatch(p -> p.digest().equals(digest));
  }
}
