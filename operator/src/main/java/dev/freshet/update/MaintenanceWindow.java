package dev.freshet.update;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A time in which updates may roll: it opens at each time of a standard five-field Unix cron
 * schedule, read in a time zone, and stays open for a duration. An opening that falls into a
 * daylight-saving gap or fold is where {@code java.time} puts it.
 *
 * @param schedule the cron expression as written, e.g. {@code 0 22 * * 1-5}
 * @param duration how long each opening lasts
 * @param zone the zone the schedule is read in
 */
public record MaintenanceWindow(String schedule, Duration duration, ZoneId zone) {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /**
   * Reads a window as an App's {@code spec.update.windows} or a workload's {@code
   * freshet.dev/windows} writes it.
   *
   * @param timeZone an IANA zone such as {@code Europe/Paris}; empty or null means UTC
   * @throws IllegalArgumentException naming what is wrong and what is allowed
   */
  public static MaintenanceWindow parse(String schedule, String duration, String timeZone) {
    if (schedule == null || schedule.isBlank()) {
      throw new IllegalArgumentException("a window needs a schedule such as \"0 22 * * 1-5\"");
    }
    cron(schedule);
    ZoneId zone;
    try {
      zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "time zone \""
              + timeZone
              + "\" is unknown: use an IANA name such as Europe/Paris or UTC");
    }
    if (duration == null) {
      throw new IllegalArgumentException("a window needs a duration such as 2h");
    }
    return new MaintenanceWindow(schedule.trim(), Intervals.parseWindow(duration), zone);
  }

  private static Cron cron(String schedule) {
    try {
      return UNIX.parse(WrappingRanges.unwrap(schedule)).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "schedule \""
              + schedule
              + "\" is not a five-field cron expression (minute hour day-of-month month"
              + " day-of-week, such as \"0 22 * * 1-5\"): "
              + e.getMessage());
    }
  }

  /**
   * Whether the window is open at {@code now}: an opening began no longer than its duration ago.
   */
  public boolean isOpen(Instant now) {
    ZonedDateTime at = now.atZone(zone);
    ExecutionTime times = ExecutionTime.forCron(cron(schedule));
    // lastExecution is strictly before its argument; an opening in this very minute counts too.
    ZonedDateTime justAfter = at.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    return times
        .lastExecution(justAfter)
        .map(opened -> !opened.isAfter(at) && at.isBefore(opened.plus(duration)))
        .orElse(false);
  }

  /** The next opening after {@code now}; empty for a schedule that never fires (Feb 30). */
  public Optional<Instant> nextOpening(Instant now) {
    return ExecutionTime.forCron(cron(schedule))
        .nextExecution(now.atZone(zone))
        .map(ZonedDateTime::toInstant);
  }

  @Override
  public String toString() {
    return "\""
        + schedule
        + "\" for "
        + duration.toString().substring(2).toLowerCase()
        + " ("
        + zone
        + ")";
  }
}
