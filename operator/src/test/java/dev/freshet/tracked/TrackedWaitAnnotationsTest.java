package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.update.MaintenanceWindow;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The annotations that say when a tracked workload's updates happen, read as an App's spec is. */
class TrackedWaitAnnotationsTest {

  @Test
  void readsApprovalWindowsAndMinimumAge() {
    var policy =
        TrackedAnnotations.parse(
            Map.of(
                TrackedAnnotations.POLICY, "digest",
                TrackedAnnotations.APPROVAL, "manual",
                TrackedAnnotations.MIN_AGE, "10m",
                TrackedAnnotations.WINDOWS,
                    """
                    - {schedule: "0 22 * * 1-5", duration: 2h, timeZone: Europe/Paris}
                    - schedule: "0 3 * * 0"
                      duration: 30m
                    """));

    assertThat(policy.manualApproval()).isTrue();
    assertThat(policy.minAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(policy.windows())
        .containsExactly(
            new MaintenanceWindow("0 22 * * 1-5", Duration.ofHours(2), ZoneId.of("Europe/Paris")),
            new MaintenanceWindow("0 3 * * 0", Duration.ofMinutes(30), ZoneId.of("UTC")));
  }

  @Test
  void windowsMayBeWrittenAsJson() {
    var policy =
        TrackedAnnotations.parse(
            Map.of(
                TrackedAnnotations.POLICY,
                "digest",
                TrackedAnnotations.WINDOWS,
                "[{\"schedule\": \"0 22 * * *\", \"duration\": \"1h\", \"timeZone\": \"UTC\"}]"));

    assertThat(policy.windows()).hasSize(1);
  }

  @Test
  void withoutTheAnnotationsUpdatesNeverWait() {
    var policy = TrackedAnnotations.parse(Map.of(TrackedAnnotations.POLICY, "digest"));

    assertThat(policy.manualApproval()).isFalse();
    assertThat(policy.windows()).isEmpty();
    assertThat(policy.minAge()).isZero();
  }

  @Test
  void moreWindowsThanAnAppMayHoldAreRefused() {
    String window = "{schedule: \"0 22 * * *\", duration: 1h}";
    String seventeen = "[" + String.join(",", java.util.Collections.nCopies(17, window)) + "]";
    String sixteen = "[" + String.join(",", java.util.Collections.nCopies(16, window)) + "]";

    assertThat(
            TrackedAnnotations.parse(
                    Map.of(
                        TrackedAnnotations.POLICY, "digest", TrackedAnnotations.WINDOWS, sixteen))
                .windows())
        .hasSize(16);
    assertThatThrownBy(
            () ->
                TrackedAnnotations.parse(
                    Map.of(
                        TrackedAnnotations.POLICY,
                        "digest",
                        TrackedAnnotations.WINDOWS,
                        seventeen)))
        .hasMessageContaining("names 17 windows; at most 16");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          freshet.dev/approval | yes                                     | freshet.dev/approval "yes" is neither "manual" nor "automatic"
          freshet.dev/min-age  | 8d                                      | freshet.dev/min-age: "8d" is not a minimum age
          freshet.dev/min-age  | 169h                                    | above the maximum minimum age of 168h
          freshet.dev/windows  | 0 22 * * 1-5                            | freshet.dev/windows is not a list of windows
          freshet.dev/windows  | []                                      | freshet.dev/windows names no window
          freshet.dev/windows  | [{schedule: "0 22 * *", duration: 2h}]  | freshet.dev/windows[0]: schedule "0 22 * *" is not a five-field cron expression
          freshet.dev/windows  | [{schedule: "0 22 * * *"}]              | freshet.dev/windows[0]: a window needs a duration
          freshet.dev/windows  | [{schedule: "0 22 * * *", duration: 1h, timeZone: Mars/Olympus}] | time zone "Mars/Olympus" is unknown
          freshet.dev/windows  | [{schedule: "0 22 * * *", duration: 1h, timezone: UTC}] | Unrecognized field "timezone"
          """)
  void refusesWhatItCannotRead(String annotation, String value, String why) {
    var annotations = Map.of(TrackedAnnotations.POLICY, "digest", annotation, value);

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }
}
