package dev.freshet.update;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the Kubernetes way ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h30m}): the
 * one parser for the command line's durations and for poll intervals, which are durations with
 * bounds.
 *
 * <p>Each number has at most {@value #MAX_DIGITS} digits, enough for a week in seconds ({@code
 * 604800s}); longer numbers are typing accidents, and refusing them keeps every sum far from
 * overflow. The CRD's CEL rule for {@code update.interval} uses the same grammar and bounds.
 */
public final class Intervals {
  /**
   * Below this a poll becomes registry load without making anything fresher: webhooks are faster.
   */
  public static final Duration MINIMUM = Duration.ofSeconds(10);

  /**
   * A poll is how long a new image may go unnoticed when no webhook says so; past a day that is
   * indistinguishable from not following the image, which {@code policy: none} says honestly.
   */
  public static final Duration MAXIMUM = Duration.ofHours(24);

  static final int MAX_DIGITS = 6;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6}(ms|h|m|s))+");
  private static final Pattern INTERVAL = Pattern.compile("([0-9]{1,6}(h|m|s))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|h|m|s)");

  private Intervals() {}

  /**
   * Parses a duration of any length, in whole {@code ms}, {@code s}, {@code m} or {@code h}.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  public static Duration parseDuration(String text) {
    String value = text == null ? "" : text.trim();
    if (!DURATION.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\""
              + value
              + "\" is not a duration: write whole numbers of ms, s, m or h such as 500ms, 30s, 10m"
              + " or 1h30m, each of at most "
              + MAX_DIGITS
              + " digits");
    }
    return sum(value);
  }

  /**
   * Parses a poll interval: whole hours, minutes or seconds, from {@link #MINIMUM} to {@link
   * #MAXIMUM}.
   *
   * @throws IllegalArgumentException if it is malformed or out of bounds
   */
  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if (!INTERVAL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\""
              + value
              + "\" is not an interval: write whole hours, minutes or seconds such as 10s, 5m or"
              + " 1h30m, each number of at most "
              + MAX_DIGITS
              + " digits");
    }
    Duration interval = sum(value);
    if (interval.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException("\"" + value + "\" is below the minimum interval of 10s");
    }
    if (interval.compareTo(MAXIMUM) > 0) {
      throw new IllegalArgumentException("\"" + value + "\" is above the maximum interval of 24h");
    }
    return interval;
  }

  private static Duration sum(String value) {
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
              });
    }
    return total;
  }
}
