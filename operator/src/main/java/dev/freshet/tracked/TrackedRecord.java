package dev.freshet.tracked;

import dev.freshet.update.Custody;
import dev.freshet.update.ImageRecord;
import dev.freshet.update.Pin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The update engine's record of a tracked workload, kept in annotations on the workload so it
 * survives restarts and a change of leader, read and written here and nowhere else. Each annotation
 * holds comma-separated {@code container=value} entries:
 *
 * <ul>
 *   <li>{@value #PINNED} ({@code container=tag@digest}) and {@value #PINNED_AT}: the pins Freshet
 *       set, changed only in the apply that sets the images, so a template naming another pin was
 *       changed by someone else;
 *   <li>{@value #LAST_GOOD} ({@code container=tag@digest}): the last pin whose rollout completed,
 *       where the health gate goes back to;
 *   <li>{@value #QUARANTINED} ({@code container=digest}, a container may repeat): digests never
 *       pinned again, written in the same apply as the rollback that leaves them;
 *   <li>{@value #HELD}: why updates are held, while a person holds them.
 * </ul>
 */
public final class TrackedRecord {
  public static final String PINNED = TrackedStatus.PREFIX + "pinned";
  public static final String PINNED_AT = TrackedStatus.PREFIX + "pinned-at";
  public static final String LAST_GOOD = TrackedStatus.PREFIX + "last-good";
  public static final String QUARANTINED = TrackedStatus.PREFIX + "quarantined";
  public static final String HELD = TrackedStatus.PREFIX + "held";

  /**
   * Changed only with the image, in the same apply; a write of the status alone repeats them as
   * they are.
   */
  static final Set<String> WRITTEN_WITH_IMAGE =
      Set.of(PINNED, PINNED_AT, TrackedStatus.HISTORY, TrackedStatus.UPDATED_AT);

  /** How many image changes {@link TrackedStatus#HISTORY} keeps, newest first. */
  static final int HISTORY_LENGTH = 5;

  /** How many quarantined digests a container keeps, as an App's status does. */
  static final int QUARANTINE_REMEMBERED = 10;

  private TrackedRecord() {}

  /** What the annotations record for one container. */
  public static ImageRecord of(Map<String, String> annotations, String container) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    return new ImageRecord(
        pin(entries(a.get(PINNED)).get(container)),
        pin(entries(a.get(LAST_GOOD)).get(container)),
        quarantined(a, container),
        List.of(),
        Optional.ofNullable(a.get(PINNED_AT)).map(Instant::parse));
  }

  /** The digests quarantined for {@code container}, oldest first. */
  public static List<String> quarantined(Map<String, String> annotations, String container) {
    return list(annotations == null ? null : annotations.get(QUARANTINED)).stream()
        .filter(e -> e.startsWith(container + "="))
        .map(e -> e.substring(container.length() + 1))
        .toList();
  }

  /**
   * The {@value #QUARANTINED} value with {@code digest} added for {@code container}, keeping the
   * newest {@value #QUARANTINE_REMEMBERED} of each container.
   */
  public static String quarantine(String before, String container, String digest) {
    List<String> all = new ArrayList<>(list(before));
    String entry = container + "=" + digest;
    if (!all.contains(entry)) {
      all.add(entry);
    }
    List<String> mine = all.stream().filter(e -> e.startsWith(container + "=")).toList();
    if (mine.size() > QUARANTINE_REMEMBERED) {
      all.removeAll(mine.subList(0, mine.size() - QUARANTINE_REMEMBERED));
    }
    return String.join(",", all);
  }

  /**
   * The {@value #QUARANTINED} value without {@code released} digests ({@link Custody#ALL}: none
   * left), or null when nothing stays quarantined.
   */
  public static String release(String before, Set<String> released) {
    if (released.contains(Custody.ALL)) {
      return null;
    }
    List<String> kept =
        list(before).stream()
            .filter(e -> !released.contains(e.substring(e.indexOf('=') + 1)))
            .toList();
    return kept.isEmpty() ? null : String.join(",", kept);
  }

  /**
   * The pins a {@code container=tag@digest,…} value names by container; empty when any entry is not
   * such a pin, so a mistyped request is never carried out in part.
   */
  public static Optional<Map<String, Pin>> pins(String value) {
    Map<String, Pin> pins = new TreeMap<>();
    for (String entry : list(value)) {
      int eq = entry.indexOf('=');
      Optional<Pin> pin = eq > 0 ? Pin.parse(entry.substring(eq + 1)) : Optional.empty();
      if (pin.isEmpty()) {
        return Optional.empty();
      }
      pins.put(entry.substring(0, eq), pin.get());
    }
    return pins.isEmpty() ? Optional.empty() : Optional.of(pins);
  }

  /**
   * The {@value #PINNED} or {@value #LAST_GOOD} value with {@code pins} set over {@code before}.
   */
  public static String withPins(String before, Map<String, Pin> pins) {
    Map<String, String> all = new TreeMap<>(entries(before));
    pins.forEach((container, pin) -> all.put(container, pin.toString()));
    return all.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /**
   * The {@link TrackedStatus#HISTORY} value with {@code changes} ({@code "<time>
   * <container>=<image>"} lines) added in front of {@code before}. It is written with the image
   * change it records: written after it, by the status writer, a reconcile that read the workload
   * between the two writes dropped the entry.
   */
  public static String withHistory(String before, List<String> changes) {
    List<String> history = new ArrayList<>(changes);
    if (before != null && !before.isBlank()) {
      history.addAll(Arrays.asList(before.split("\n")));
    }
    return String.join("\n", history.subList(0, Math.min(HISTORY_LENGTH, history.size())));
  }

  private static Map<String, String> entries(String value) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String entry : list(value)) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        entries.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return entries;
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Optional<Pin> pin(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int at = value.lastIndexOf('@');
    return at <= 0
        ? Optional.empty()
        : Optional.of(new Pin(value.substring(0, at), value.substring(at + 1)));
  }
}
