package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Annotations are checked with the same bounds and the same pattern engine as an App's spec. */
class TrackedAnnotationsTest {

  @ParameterizedTest(name = "interval {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          1y           | freshet.dev/interval: "1y" is not an interval
          99999999999h | at most 6 digits
          25h          | above the maximum interval of 24h
          5s           | below the minimum interval of 10s
          """)
  void refusesAnIntervalAnAppCouldNotHave(String interval, String why) {
    var annotations = Map.of(TrackedAnnotations.POLICY, "digest", TrackedAnnotations.INTERVAL, interval);

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void readsAnIntervalWithinTheBounds() {
    var annotations = Map.of(TrackedAnnotations.POLICY, "digest", TrackedAnnotations.INTERVAL, "24h");

    assertThat(TrackedAnnotations.parse(annotations).interval()).isEqualTo(Duration.ofHours(24));
  }

  @ParameterizedTest(name = "pattern {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ^(?<v>a)\\1$       | no backreferences or lookaround
          ^main-([0-9]+)$    | needs a named group
          """)
  void refusesAPatternThePollerCouldNotRun(String pattern, String why) {
    var annotations =
        Map.of(TrackedAnnotations.POLICY, "pattern", TrackedAnnotations.PATTERN, pattern);

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(TrackedAnnotations.PATTERN)
        .hasMessageContaining(why);
  }

  @Test
  void acceptsAPatternWrittenInEitherNamedGroupSyntax() {
    for (String pattern : new String[] {"^main-(?<n>[0-9]+)$", "^main-(?P<n>[0-9]+)$"}) {
      var annotations =
          Map.of(TrackedAnnotations.POLICY, "pattern", TrackedAnnotations.PATTERN, pattern);

      assertThat(TrackedAnnotations.parse(annotations).policy().pattern()).contains(pattern);
    }
  }
}
