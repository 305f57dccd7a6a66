package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalsTest {

  @Test
  void readsWholeHoursMinutesAndSecondsWithinTheBounds() {
    assertThat(Intervals.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Intervals.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Intervals.parse("24h")).isEqualTo(Intervals.MAXIMUM);
    assertThat(Intervals.parse("86400s")).isEqualTo(Intervals.MAXIMUM);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          5s            | below the minimum interval of 10s
          25h           | above the maximum interval of 24h
          1y            | is not an interval
          99999999999h  | at most 6 digits
          500ms         | is not an interval
          soon          | is not an interval
          ''            | is not an interval
          """)
  void refusesWhatTheCrdRefuses(String text, String why) {
    assertThatThrownBy(() -> Intervals.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void aDurationHasTheSameGrammarWithMillisecondsAndNoBounds() {
    assertThat(Intervals.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Intervals.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Intervals.parseDuration("999999h")).isEqualTo(Duration.ofHours(999999));
  }

  @Test
  void aMinimumAgeMayBeZeroAndAtMostAWeek() {
    assertThat(Intervals.parseMinAge("0s")).isZero();
    assertThat(Intervals.parseMinAge("168h")).isEqualTo(Intervals.MAX_MIN_AGE);
    assertThatThrownBy(() -> Intervals.parseMinAge("169h"))
        .hasMessageContaining("above the maximum minimum age of 168h");
    assertThatThrownBy(() -> Intervals.parseMinAge("10 minutes"))
        .hasMessageContaining("is not a minimum age");
  }
}
