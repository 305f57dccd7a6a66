package dev.freshet.notify;

import dev.freshet.receive.auth.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The notifications Secret ({@value Notifier#SECRET_NAME}) read into targets. Each target is
 * configured by its own keys and stands alone: a mistake in one key disables only what it
 * configures, and is named in {@link #problems()} so that it is logged and reported, never ignored.
 *
 * <p>Keys: {@code slack.url}, {@code teams.url}, {@code generic.url} with {@code generic.secret};
 * {@code <target>.events} or, for all targets, {@code events}: a comma-separated list of kinds
 * ({@code found, waiting, started, succeeded, rolled-back, registry-failing}); {@code cluster}: the
 * cluster's name as notifications show it.
 *
 * @param targets the targets that are fully and validly configured
 * @param cluster the cluster's name, empty when not set
 * @param problems what is wrong, one sentence each naming the key; empty when all is well
 */
public record NotificationSettings(List<Target> targets, String cluster, List<String> problems) {

  public static final NotificationSettings NONE =
      new NotificationSettings(List.of(), "", List.of());

  static final String EVENTS = "events";
  static final String CLUSTER = "cluster";

  private static final Map<String, Supplier<Format>> FORMATS = new LinkedHashMap<>();

  static {
    FORMATS.put("slack", SlackFormat::new);
    FORMATS.put("teams", TeamsFormat::new);
    FORMATS.put("generic", GenericFormat::new);
  }

  public NotificationSettings {
    targets = List.copyOf(targets);
    problems = List.copyOf(problems);
  }

  /** Reads the Secret's decoded data (key → value, values trimmed). */
  public static NotificationSettings parse(Map<String, String> data) {
    List<String> problems = new ArrayList<>();
    Set<String> known = new TreeSet<>(List.of(EVENTS, CLUSTER));
    FORMATS.keySet().forEach(t -> known.addAll(List.of(t + ".url", t + ".events")));
    known.add("generic.secret");
    data.keySet().stream()
        .filter(key -> !known.contains(key))
        .sorted()
        .forEach(
            key ->
                problems.add(
                    "key "
                        + key
                        + " is not one Freshet reads (known keys: "
                        + String.join(", ", known)
                        + ")"));

    Optional<Set<NotificationKind>> shared = kinds(EVENTS, data.get(EVENTS), problems);
    List<Target> targets = new ArrayList<>();
    FORMATS.forEach(
        (name, format) -> {
          String urlKey = name + ".url";
          String value = data.get(urlKey);
          Optional<Set<NotificationKind>> own =
              kinds(name + ".events", data.get(name + ".events"), problems);
          if (value == null) {
            if (name.equals("generic") && data.containsKey("generic.secret")) {
              problems.add("generic.secret is set but generic.url is not: nothing is sent");
            }
            return;
          }
          Optional<URI> url = url(urlKey, value, problems);
          Optional<Secret> signing = Optional.empty();
          if (name.equals("generic")) {
            String secret = data.get("generic.secret");
            if (secret == null || secret.isEmpty()) {
              problems.add(
                  "generic.url is set but generic.secret is not: the generic webhook is only sent"
                      + " signed, so it is not sent");
              return;
            }
            signing = Optional.of(Secret.of(secret));
          }
          if (url.isEmpty()) {
            return;
          }
          Set<NotificationKind> kinds =
              own.or(() -> shared).orElse(EnumSet.allOf(NotificationKind.class));
          targets.add(new Target(name, url.get(), format.get(), kinds, signing));
        });
    return new NotificationSettings(targets, data.getOrDefault(CLUSTER, ""), problems);
  }

  /**
   * The target's URL, or a problem that does not repeat it: a webhook URL is a credential (a Slack
   * or Teams URL's path is its secret), and problems go to the log and to an Event.
   */
  private static Optional<URI> url(String key, String value, List<String> problems) {
    try {
      URI url = new URI(value);
      if (url.getHost() == null
          || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        problems.add(
            key
                + " must be an http or https URL with a host (the value, "
                + value.length()
                + " characters, is not repeated: a webhook URL holds its secret)");
        return Optional.empty();
      }
      return Optional.of(url);
    } catch (URISyntaxException e) {
      // getMessage() would quote the input; the reason and index say what is wrong without it.
      problems.add(key + " is not a URL: " + e.getReason() + " at index " + e.getIndex());
      return Optional.empty();
    }
  }

  /** The kinds a comma-separated list names; unknown names are problems, the rest still count. */
  private static Optional<Set<NotificationKind>> kinds(
      String key, String value, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    Set<NotificationKind> kinds = EnumSet.noneOf(NotificationKind.class);
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      NotificationKind.parse(item)
          .ifPresentOrElse(
              kinds::add,
              () ->
                  problems.add(
                      key
                          + " names \""
                          + item.trim()
                          + "\", which is no kind of notification (kinds: "
                          + String.join(
                              ", ",
                              EnumSet.allOf(NotificationKind.class).stream()
                                  .map(NotificationKind::id)
                                  .toList())
                          + ")"));
    }
    return Optional.of(kinds);
  }
}
