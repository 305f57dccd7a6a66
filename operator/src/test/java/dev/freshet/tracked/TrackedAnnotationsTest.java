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
    var annotations =
        Map.of(TrackedAnnotations.POLICY, "digest", TrackedAnnotations.INTERVAL, interval);

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void refusesAPolicyExpressionLongerThanAnAppCouldHave() {
    var annotations =
        Map.of(
            TrackedAnnotations.POLICY,
            "pattern",
            TrackedAnnotations.PATTERN,
            "^(?<v>" + "a".repeat(300) + ")$");

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("freshet.dev/pattern is 308 characters long; at most 256");
  }

  @Test
  void withoutAContainerListEveryContainerButNoInitContainerIsKeptFresh() {
    var policy = TrackedAnnotations.parse(Map.of(TrackedAnnotations.POLICY, "digest"));

    assertThat(policy.covers("app", false)).isTrue();
    assertThat(policy.covers("migrate", true)).isFalse();
  }

  @Test
  void aContainerListNamesExactlyTheContainersAndInitContainersKeptFresh() {
    var policy =
        TrackedAnnotations.parse(
            Map.of(
                TrackedAnnotations.POLICY,
                "digest",
                TrackedAnnotations.CONTAINERS,
                "app, migrate"));

    assertThat(policy.covers("app", false)).isTrue();
    assertThat(policy.covers("migrate", true)).isTrue();
    assertThat(policy.covers("sidecar", false)).isFalse();
    assertThat(policy.covers("wait-for-db", true)).isFalse();
  }

  @Test
  void readsAnIntervalWithinTheBounds() {
    var annotations =
        Map.of(TrackedAnnotations.POLICY, "digest", TrackedAnnotations.INTERVAL, "24h");

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

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # include-prerelease | expected
          true                 | true
          ' false '            | false
          """)
  void readsWhetherEveryPreReleaseInTheRangeQualifies(String value, boolean expected) {
    var annotations =
        Map.of(
            TrackedAnnotations.POLICY, "semver",
            TrackedAnnotations.SEMVER, "2.x",
            TrackedAnnotations.INCLUDE_PRERELEASE, value);

    assertThat(TrackedAnnotations.parse(annotations).policy().includePrerelease())
        .isEqualTo(expected);
  }

  @Test
  void preReleasesFollowTheRangeWhenTheAnnotationIsAbsent() {
    var annotations =
        Map.of(TrackedAnnotations.POLICY, "semver", TrackedAnnotations.SEMVER, "^1.2 ^1");

    assertThat(TrackedAnnotations.parse(annotations).policy().includePrerelease()).isFalse();
  }

  @Test
  void refusesAnIncludePrereleaseThatIsNotABoolean() {
    var annotations =
        Map.of(
            TrackedAnnotations.POLICY, "semver",
            TrackedAnnotations.SEMVER, "2.x",
            TrackedAnnotations.INCLUDE_PRERELEASE, "yes");

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(TrackedAnnotations.INCLUDE_PRERELEASE);
  }

  @Test
  void refusesARangeThePollerCouldNotRead() {
    var annotations =
        Map.of(TrackedAnnotations.POLICY, "semver", TrackedAnnotations.SEMVER, "~1.2.3beta");

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(TrackedAnnotations.SEMVER)
        .hasMessageContaining("~1.2.3beta");
  }

  @Test
  void aVerifyKeySecretIsReadAndKeylessIsRefusedWithAReason() {
    Map<String, String> annotations = new java.util.HashMap<>();
    annotations.put(TrackedAnnotations.POLICY, "digest");
    annotations.put(TrackedAnnotations.VERIFY_KEY_SECRET, "cosign-keys");
    assertThat(TrackedAnnotations.parse(annotations).verify())
        .contains(dev.freshet.update.VerifyConfig.withKeys("cosign-keys"));

    annotations.put(TrackedAnnotations.VERIFY_KEY_SECRET, "Not A Name");
    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .hasMessageContaining("is not a Secret name");

    // No Secret of another namespace can be named: the keys are read in the workload's own.
    annotations.put(TrackedAnnotations.VERIFY_KEY_SECRET, "kube-system/cosign-keys");
    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .hasMessageContaining("is not a Secret name");

    annotations.remove(TrackedAnnotations.VERIFY_KEY_SECRET);
    annotations.put(TrackedAnnotations.VERIFY_KEYLESS, "true");
    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .hasMessageContaining("keyless verification")
        .hasMessageContaining("not supported yet");
  }

  @Test
  void readsAProgressDeadlineWithTheOneDurationParserAndDefaultsToTenMinutes() {
    var base = Map.of("freshet.dev/policy", "digest");
    var withDeadline = new java.util.HashMap<>(base);
    withDeadline.put("freshet.dev/progress-deadline", "1m30s");

    assertThat(TrackedAnnotations.parse(base).progressDeadline()).isEqualTo(Duration.ofMinutes(10));
    assertThat(TrackedAnnotations.parse(withDeadline).progressDeadline())
        .isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @CsvSource({"soon, not a duration", "2s, below the minimum of 5s"})
  void refusesAProgressDeadlineARolloutCouldNotMeet(String deadline, String why) {
    var annotations =
        Map.of("freshet.dev/policy", "digest", "freshet.dev/progress-deadline", deadline);

    assertThatThrownBy(() -> TrackedAnnotations.parse(annotations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("freshet.dev/progress-deadline")
        .hasMessageContaining(why);
  }
}
