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

  /**
   * A digest that must wait longer than a week before it rolls is not being followed; {@code
   * policy: none} says that honestly. The CRD's CEL rule for {@code update.minAge} has the same
   * bound.
   */
  public static final Duration MAX_MIN_AGE = Duration.ofDays(7);

  /** Shorter than a minute a window may open and close between two reconciles. */
  public static final Duration MIN_WINDOW = Duration.ofMinutes(1);

  /** A window longer than a week, on any schedule, is always open. */
  public static final Duration MAX_WINDOW = Duration.ofDays(7);

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
    return parseBounded(text, "interval", MINIMUM, MAXIMUM);
  }

  /**
   * Parses a minimum age ({@code spec.update.minAge}): how long a digest must have been seen before
   * it rolls, from 0 to {@link #MAX_MIN_AGE}.
   *
   * @throws IllegalArgumentException if it is malformed or out of bounds
   */
  public static Duration parseMinAge(String text) {
    return parseBounded(text, "minimum age", Duration.ZERO, MAX_MIN_AGE);
  }

  /**
   * Parses how long a maintenance window stays open, from {@link #MIN_WINDOW} to {@link
   * #MAX_WINDOW}.
   *
   * @throws IllegalArgumentException if it is malformed or out of bounds
   */
  public static Duration parseWindow(String text) {
    return parseBounded(text, "window duration", MIN_WINDOW, MAX_WINDOW);
  }

  private static Duration parseBounded(String text, String what, Duration min, Duration max) {
    String value = text == null ? "" : text.trim();
    if (!INTERVAL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\""
              + value
              + "\" is not "
              + ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ")
              + what
              + ": write whole hours, minutes or seconds such as 10s, 5m or"
              + " 1h30m, each number of at most "
              + MAX_DIGITS
              + " digits");
    }
    Duration duration = sum(value);
    if (duration.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "\"" + value + "\" is below the minimum " + what + " of " + text(min));
    }
    if (duration.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "\"" + value + "\" is above the maximum " + what + " of " + text(max));
    }
    return duration;
  }

  /** A bound as the grammar writes it: whole hours when it has them, else seconds. */
  private static String text(Duration bound) {
    if (bound.isZero()) {
      return "0s";
    }
    if (bound.toSecondsPart() == 0 && bound.toMinutesPart() == 0) {
      return bound.toHours() + "h";
    }
    if (bound.toSecondsPart() == 0) {
      return bound.toMinutes() + "m";
    }
    return bound.toSeconds() + "s";
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
