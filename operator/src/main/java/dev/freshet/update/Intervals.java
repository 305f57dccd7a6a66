package dev.freshet.update;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Poll intervals written the Kubernetes way ({@code 10s}, {@code 5m}, {@code 1h30m}). */
public final class Intervals {
  public static final Duration MINIMUM = Duration.ofSeconds(10);
  private static final Pattern WHOLE = Pattern.compile("([0-9]+(h|m|s))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(h|m|s)");

  private Intervals() {}

  /**
   * Parses an interval.
   *
   * @throws IllegalArgumentException if it is malformed or below {@link #MINIMUM}
   */
  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if (!WHOLE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\"" + value + "\" is not an interval: write whole hours, minutes or seconds such as 10s, 5m or 1h");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "h" -> Duration.ofHours(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofSeconds(amount);
      });
    }
    if (total.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException("\"" + value + "\" is below the minimum interval of 10s");
    }
    return total;
  }
}
