package dev.freshet.tracked;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.update.Decision;
import dev.freshet.update.MaintenanceWindow;
import dev.freshet.update.Pending;
import dev.freshet.update.Pin;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tracked workload's side of when updates happen: the {@code freshet.dev/windows} annotation read
 * into maintenance windows, and the {@code status.freshet.dev/pending} record of what waits, per
 * container, as JSON.
 */
final class TrackedWaits {
  private static final ObjectMapper JSON =
      JsonMapper.builder().build().setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private static final ObjectMapper YAML =
      new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  private TrackedWaits() {}

  /** One window as the annotation writes it, the same fields as an App's spec.update.windows. */
  record WindowText(String schedule, String duration, String timeZone) {}

  /**
   * One container's pending candidate, as {@code status.freshet.dev/pending} records it.
   *
   * @param waitingFor Approval, Window or Maturity
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PendingText(
      String tag,
      String digest,
      String since,
      String waitingFor,
      String nextWindow,
      String matureAt) {

    static PendingText of(Decision.Wait wait) {
      String until = wait.until().map(TrackedWaits::seconds).orElse(null);
      return new PendingText(
          wait.candidate().tag(),
          wait.candidate().digest(),
          seconds(wait.since()),
          wait.reason().waitingFor(),
          wait.reason() == Decision.Wait.Reason.WINDOW ? until : null,
          wait.reason() == Decision.Wait.Reason.MATURITY ? until : null);
    }

    Optional<Pending> pending() {
      if (tag == null || digest == null || since == null) {
        return Optional.empty();
      }
      return Optional.of(new Pending(new Pin(tag, digest), Instant.parse(since)));
    }
  }

  /** As many windows as an App's {@code spec.update.windows} may hold. */
  static final int MAX_WINDOWS = 16;

  /**
   * Reads {@code freshet.dev/windows}: a YAML or JSON list of {@code {schedule, duration,
   * timeZone}}, as in an App's {@code spec.update.windows}, e.g. {@code [{schedule: "0 22 * * 1-5",
   * duration: 2h, timeZone: Europe/Paris}]}.
   *
   * @throws IllegalArgumentException naming the annotation and what is wrong
   */
  static List<MaintenanceWindow> windows(String annotation) {
    List<WindowText> texts;
    try {
      texts = YAML.readValue(annotation, new TypeReference<List<WindowText>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          TrackedAnnotations.WINDOWS
              + " is not a list of windows such as [{schedule: \"0 22 * * 1-5\", duration: 2h,"
              + " timeZone: Europe/Paris}]: "
              + e.getOriginalMessage());
    }
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException(
          TrackedAnnotations.WINDOWS + " names no window; remove it to allow updates at any time");
    }
    if (texts.size() > MAX_WINDOWS) {
      throw new IllegalArgumentException(
          TrackedAnnotations.WINDOWS
              + " names "
              + texts.size()
              + " windows; at most "
              + MAX_WINDOWS
              + ", as in an App's spec.update.windows");
    }
    List<MaintenanceWindow> windows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      WindowText text = texts.get(i);
      try {
        if (text == null) {
          throw new IllegalArgumentException("is empty");
        }
        windows.add(MaintenanceWindow.parse(text.schedule(), text.duration(), text.timeZone()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            TrackedAnnotations.WINDOWS + "[" + i + "]: " + e.getMessage());
      }
    }
    return windows;
  }

  /**
   * The pending record per container; empty when there is none or it cannot be read (Freshet wrote
   * it, so an unreadable one was edited by hand: the wait then starts again, which is safe).
   */
  static Map<String, PendingText> pending(Map<String, String> annotations) {
    String text = annotations == null ? null : annotations.get(TrackedStatus.PENDING);
    if (text == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(text, new TypeReference<TreeMap<String, PendingText>>() {});
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  static String write(Map<String, PendingText> pending) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(pending));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of records always serializes", e);
    }
  }

  private static String seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
