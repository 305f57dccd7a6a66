package dev.freshet.update;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cron ranges that wrap around their field's end. A maintenance window written {@code 0 22-2 * * *}
 * means the hours across midnight, and {@code FRI-MON} the long weekend; cron-utils, like most cron
 * implementations, refuses a range whose start is after its end. Such a range is rewritten as the
 * values it wraps over before the schedule is parsed, so what admission accepts always means
 * something (the schema's CEL cannot compare a range's ends within its cost budget).
 */
final class WrappingRanges {
  private static final int[] MIN = {0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 23, 31, 12, 6};
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> WEEKDAYS =
      List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
  private static final Pattern RANGE =
      Pattern.compile("([0-9]{1,2}|[a-zA-Z]{3})-([0-9]{1,2}|[a-zA-Z]{3})(?:/([0-9]{1,2}))?");

  private WrappingRanges() {}

  /** {@code schedule} with every backward range written as the values it wraps over. */
  static String unwrap(String schedule) {
    String[] fields = schedule.trim().split(" +");
    if (fields.length != 5) {
      return schedule;
    }
    for (int field = 0; field < fields.length; field++) {
      int f = field;
      fields[field] =
          Arrays.stream(fields[field].split(",", -1))
              .map(item -> unwrap(item, f))
              .collect(Collectors.joining(","));
    }
    return String.join(" ", fields);
  }

  private static String unwrap(String item, int field) {
    Matcher range = RANGE.matcher(item);
    if (!range.matches()) {
      return item;
    }
    Integer from = value(range.group(1), field);
    Integer to = value(range.group(2), field);
    if (from == null || to == null || from > MAX[field] && field != 4) {
      return item;
    }
    String stepText = range.group(3) == null ? "" : "/" + range.group(3);
    if (from <= to) {
      // Forward, though perhaps only once Sunday's 7 reads as 0 ("7-2").
      return from + "-" + to + stepText;
    }
    int step = range.group(3) == null ? 1 : Integer.parseInt(range.group(3));
    if (step == 0) {
      return item;
    }
    int size = MAX[field] - MIN[field] + 1;
    int span = Math.floorMod(to - from, size);
    List<String> values = new ArrayList<>();
    for (int offset = 0; offset <= span; offset += step) {
      values.add(Integer.toString(MIN[field] + Math.floorMod(from - MIN[field] + offset, size)));
    }
    return String.join(",", values);
  }

  /** The number a field's value names; Sunday is 0 whether written 0, 7 or SUN. */
  private static Integer value(String text, int field) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (field == 3 && MONTHS.contains(lower)) {
      return MONTHS.indexOf(lower) + 1;
    }
    if (field == 4 && WEEKDAYS.contains(lower)) {
      return WEEKDAYS.indexOf(lower);
    }
    if (!text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int number = Integer.parseInt(text);
    return field == 4 && number == 7 ? 0 : number;
  }
}
