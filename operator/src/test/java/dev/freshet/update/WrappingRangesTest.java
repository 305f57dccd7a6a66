package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Backward cron ranges wrap around their field's end, as a person writing a window means. */
class WrappingRangesTest {

  @Test
  void aBackwardRangeBecomesTheValuesItWrapsOver() {
    assertThat(WrappingRanges.unwrap("0 22-2 * * *")).isEqualTo("0 22,23,0,1,2 * * *");
    assertThat(WrappingRanges.unwrap("0 9 * * FRI-MON")).isEqualTo("0 9 * * 5,6,0,1");
    assertThat(WrappingRanges.unwrap("0 9 * * 6-7")).isEqualTo("0 9 * * 6,0");
    assertThat(WrappingRanges.unwrap("0 9 * * 7-2")).isEqualTo("0 9 * * 0-2");
    assertThat(WrappingRanges.unwrap("0 22-2/2 * nov-feb *")).isEqualTo("0 22,0,2 * 11,12,1,2 *");
    assertThat(WrappingRanges.unwrap("50-10/10 * 30-2 * *")).isEqualTo("50,0,10 * 30,31,1,2 * *");
  }

  @Test
  void forwardRangesListsAndStarsAreLeftAsWritten() {
    for (String schedule : new String[] {"0 22 * * 1-5", "*/15 8-18 * * 1-5", "0 0 1,15 * *"}) {
      assertThat(WrappingRanges.unwrap(schedule)).isEqualTo(schedule);
    }
    assertThat(WrappingRanges.unwrap("0 9 * * MON-FRI")).isEqualTo("0 9 * * 1-5");
  }

  @Test
  void aWindowAcrossMidnightOpensEachHourOfItsRange() {
    var window = MaintenanceWindow.parse("0 22-1 * * *", "1h", "UTC");
    Instant elevenPm = Instant.parse("2026-11-30T23:30:00Z");
    Instant midnightThirty = Instant.parse("2026-12-01T00:30:00Z");
    Instant noon = Instant.parse("2026-12-01T12:00:00Z");
    assertThat(window.isOpen(elevenPm)).isTrue();
    assertThat(window.isOpen(midnightThirty)).isTrue();
    assertThat(window.isOpen(noon)).isFalse();
    assertThat(window.nextOpening(noon))
        .contains(noon.atOffset(ZoneOffset.UTC).withHour(22).withMinute(0).toInstant());
    assertThat(window.duration()).isEqualTo(Duration.ofHours(1));
  }
}
