package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A maintenance window: updates roll only while one of the App's windows is open. The schema checks
 * what CEL can (five cron fields with their ranges, a duration's grammar and bounds, a known time
 * zone); the operator reads the schedule again with cron-utils and the zone with java.time, and a
 * failed reconcile reports what they refuse (a zone the API server knows and the JDK does not).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WindowSpec {
  private static final String STEP = "(/[0-9]{1,2})?";
  private static final String MINUTE = "[0-5]?[0-9]";
  private static final String HOUR = "([01]?[0-9]|2[0-3])";
  private static final String DAY = "(0?[1-9]|[12][0-9]|3[01])";
  private static final String MONTH =
      "(0?[1-9]|1[0-2]|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))";
  private static final String WEEKDAY = "([0-7]|(?i:sun|mon|tue|wed|thu|fri|sat))";

  // A cron field: a list of "*", values or ranges, each with an optional step. Spelled out per
  // field because an annotation takes only constant expressions.
  private static final String MINUTE_ITEM = "([*]|" + MINUTE + "(-" + MINUTE + ")?)" + STEP;
  private static final String HOUR_ITEM = "([*]|" + HOUR + "(-" + HOUR + ")?)" + STEP;
  private static final String DAY_ITEM = "([*]|" + DAY + "(-" + DAY + ")?)" + STEP;
  private static final String MONTH_ITEM = "([*]|" + MONTH + "(-" + MONTH + ")?)" + STEP;
  private static final String WEEKDAY_ITEM = "([*]|" + WEEKDAY + "(-" + WEEKDAY + ")?)" + STEP;

  /** Five fields: minute, hour, day of month, month, day of week. */
  static final String CRON =
      "^ *"
          + MINUTE_ITEM
          + "(,"
          + MINUTE_ITEM
          + ")* +"
          + HOUR_ITEM
          + "(,"
          + HOUR_ITEM
          + ")* +"
          + DAY_ITEM
          + "(,"
          + DAY_ITEM
          + ")* +"
          + MONTH_ITEM
          + "(,"
          + MONTH_ITEM
          + ")* +"
          + WEEKDAY_ITEM
          + "(,"
          + WEEKDAY_ITEM
          + ")* *$";

  private static final String ZONE_SHAPE = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$";

  static final String DURATION_GRAMMAR = UpdateSpec.INTERVAL_GRAMMAR;

  @Required
  @Size(max = 128)
  @ValidationRule(
      value = "self.matches('" + CRON + "')",
      message =
          "must be a five-field cron schedule (minute hour day-of-month month day-of-week) with"
              + " values in range, such as \"0 22 * * 1-5\"")
  private String schedule;

  @Required
  @Size(max = 32)
  @ValidationRule(
      value = "self.matches('" + DURATION_GRAMMAR + "')",
      message = "must be a duration of whole hours, minutes or seconds such as 30m or 2h")
  @ValidationRule(
      value =
          "!self.matches('"
              + DURATION_GRAMMAR
              + "') || (duration(self) >= duration('1m') && duration(self) <= duration('168h'))",
      message = "must be from 1m to 168h (a week)")
  private String duration;

  @Size(max = 64)
  @ValidationRule(
      value = "self.matches('" + ZONE_SHAPE + "')",
      message = "must be an IANA time zone such as Europe/Paris or UTC")
  // CEL reads a zone with the API server's own time zone database: an unknown one fails the rule
  // with "unknown time zone …".
  @ValidationRule(
      value =
          "!self.matches('"
              + ZONE_SHAPE
              + "') || timestamp('2000-01-01T00:00:00Z').getHours(self) >= 0",
      message = "must be an IANA time zone such as Europe/Paris or UTC")
  private String timeZone;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  /** An IANA zone such as Europe/Paris, in which the schedule is read; UTC when unset. */
  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }
}
