package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaintenanceWindowTest {
  private static final MaintenanceWindow WEEKNIGHTS =
      MaintenanceWindow.parse("0 22 * * 1-5", "2h", "Europe/Paris");

  @ParameterizedTest(name = "{0} open: {1}")
  @CsvSource({
    // Paris is UTC+1 in November: 22:00 there is 21:00 UTC.
    "2026-11-30T20:59:59Z, false",
    "2026-11-30T21:00:00Z, true",
    "2026-11-30T22:30:00Z, true",
    "2026-11-30T22:59:59Z, true",
    "2026-11-30T23:00:00Z, false",
    // Saturday evening: the schedule says weekdays only.
    "2026-12-05T21:30:00Z, false",
    // Friday's window runs past midnight into Saturday.
    "2026-12-04T22:30:00Z, true",
  })
  void isOpenFromEachOpeningForItsDuration(String at, boolean open) {
    assertThat(WEEKNIGHTS.isOpen(Instant.parse(at))).isEqualTo(open);
  }

  @Test
  void theNextOpeningIsReadInTheWindowsZone() {
    assertThat(WEEKNIGHTS.nextOpening(Instant.parse("2026-12-04T23:30:00Z")))
        .contains(Instant.parse("2026-12-07T21:00:00Z"));
    // Summer time: 22:00 in Paris is 20:00 UTC.
    assertThat(WEEKNIGHTS.nextOpening(Instant.parse("2026-07-01T12:00:00Z")))
        .contains(Instant.parse("2026-07-01T20:00:00Z"));
  }

  @Test
  void withoutAZoneTheScheduleIsUtc() {
    var window = MaintenanceWindow.parse("*/10 * * * *", "1m", null);

    assertThat(window.isOpen(Instant.parse("2026-11-30T09:10:30Z"))).isTrue();
    assertThat(window.isOpen(Instant.parse("2026-11-30T09:11:30Z"))).isFalse();
  }

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 22 * *        | 2h  | UTC            | is not a five-field cron expression
          61 22 * * *     | 2h  | UTC            | is not a five-field cron expression
          0 22 * * 1-5 *  | 2h  | UTC            | is not a five-field cron expression
          0 22 * * 1-5    | 2h  | Europe/Atlantis | time zone "Europe/Atlantis" is unknown
          0 22 * * 1-5    | 30s | UTC            | below the minimum window duration of 1m
          0 22 * * 1-5    | 8d  | UTC            | is not a window duration
          0 22 * * 1-5    | 169h | UTC           | above the maximum window duration of 168h
          """)
  void refusesWhatItCannotRead(String schedule, String duration, String zone, String why) {
    assertThatThrownBy(() -> MaintenanceWindow.parse(schedule, duration, zone))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }
}
