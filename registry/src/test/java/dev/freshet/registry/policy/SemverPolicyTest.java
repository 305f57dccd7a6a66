package dev.freshet.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemverPolicyTest {
  private static final List<String> NGINX_LIKE =
      List.of(
          "latest",
          "alpine",
          "1.4",
          "1.4.0",
          "1.4.1",
          "1.4.2",
          "1.4.10",
          "1.5",
          "1.5.0",
          "1.5.3",
          "2.0.0",
          "2.1.0",
          "2.1.1-rc.1",
          "2.2.0-rc.1",
          "3.0.0",
          "1.4-alpine",
          "1.4.1-alpine",
          "1.4.3-alpine",
          "1.4.3-alpine3.19",
          "1.5.0-alpine",
          "1.4.11-rc1-alpine",
          "1.4.9-rc.2",
          "v1.4.12",
          "1.4.x",
          "1.4.2.1");

  @ParameterizedTest(name = "range {0} from {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # range       | current       | expected choice
          ~1.4          | 1.4.2         | v1.4.12
          ~1.4          | 1.4           | v1.4.12
          ^1            | 1.4.2         | 1.5.3
          ^2            | 2.0.0         | 2.1.0
          >=1.2 <2      | 1.4.0         | 1.5.3
          >=2 <3        | 1.4.0         | 2.1.0
          *             | 1.4.0         | 3.0.0
          1.x           | 1.4.1         | 1.5.3
          ~1.4          | 1.4-alpine    | 1.4.3-alpine
          ^1            | 1.4-alpine    | 1.5.0-alpine
          ~1.4          | 1.4.1-alpine  | 1.4.3-alpine
          ~1.4          | 1.4.3-alpine  | 1.4.3-alpine
          ~1.4          | v1.4.10       | v1.4.12
          ~1.5          | 1.5.3         | 1.5.3
          ~1.4          | 1.4.99        | 1.4.99
          ^2            | 3.0.0         | 3.0.0
          ~1.4          | latest        | v1.4.12
          ~1.4          | 2.2.0-rc.1    | 2.2.0-rc.1
          x             | 1.4.0         | 3.0.0
          1.0.0 - x     | 1.4.0         | 3.0.0
          1.4 - 1.5     | 1.4.0         | 1.5.3
          ^1.2 ^1       | 1.4.0         | 1.5.3
          '~1.4 || ^3'  | 1.4.0         | 3.0.0
          '~1.4 || ^3'  | 1.5.0         | 3.0.0
          v1.x          | 1.4.1         | 1.5.3
          =1.4.x        | 1.4.1         | v1.4.12
          ~> 1.4        | 1.4.1         | v1.4.12
          < 2           | 1.4.1         | 1.5.3
          """)
  void choosesTheNewestReleaseInRangeWithTheSameVariant(
      String range, String current, String expected) {
    assertThat(new SemverPolicy(range).select(current, NGINX_LIKE)).contains(expected);
  }

  @Test
  void aVariantIsNeverCoercedAway() {
    List<String> candidates = new SemverPolicy("~1.4").candidates("1.4-alpine", NGINX_LIKE);

    assertThat(candidates).containsExactly("1.4.3-alpine", "1.4.1-alpine");
    assertThat(candidates).doesNotContain("1.5", "1.4.3", "1.4.3-alpine3.19");
  }

  @Test
  void preReleasesOnlyWhenAskedFor() {
    assertThat(new SemverPolicy("^2").select("2.0.0", NGINX_LIKE)).contains("2.1.0");
    assertThat(new SemverPolicy("^2", true).candidates("2.0.0", NGINX_LIKE))
        .containsExactly("2.2.0-rc.1", "2.1.1-rc.1", "2.1.0");
  }

  @Test
  void aRangeThatNamesAPreReleaseAdmitsThePreReleasesOfThatVersionOnly() {
    assertThat(new SemverPolicy(">=2.2.0-rc.0 <3").candidates("2.1.0", NGINX_LIKE))
        .containsExactly("2.2.0-rc.1");
    assertThat(new SemverPolicy("^2.1.1-rc.0").candidates("2.1.0", NGINX_LIKE))
        .containsExactly("2.1.1-rc.1");
  }

  @Test
  void includingPreReleasesWidensPartialRangesToTheirPreReleases() {
    List<String> tags = List.of("2.0.0-rc.1", "2.0.0", "2.1.0-beta.1", "3.0.0-rc.1");

    assertThat(new SemverPolicy("2.x").candidates("latest", tags)).containsExactly("2.0.0");
    assertThat(new SemverPolicy("2.x", true).candidates("latest", tags))
        .containsExactly("2.1.0-beta.1", "2.0.0", "2.0.0-rc.1");
  }

  @Test
  void aPreReleaseWithAVariantKeepsTheVariant() {
    assertThat(new SemverPolicy("~1.4", true).candidates("1.4.3-alpine", NGINX_LIKE))
        .containsExactly("1.4.11-rc1-alpine");
    assertThat(new SemverPolicy("~1.4").candidates("1.4.3-alpine", NGINX_LIKE)).isEmpty();
  }

  @Test
  void fromAPreReleaseTheReleaseFollows() {
    assertThat(new SemverPolicy("~1.4").select("1.4.9-rc.2", NGINX_LIKE)).contains("v1.4.12");
  }

  @Test
  void candidatesAreNewestFirstAndNeverOlderThanTheCurrentTag() {
    assertThat(new SemverPolicy("~1.4").candidates("1.4.1", NGINX_LIKE))
        .containsExactly("v1.4.12", "1.4.10", "1.4.2");
  }

  @Test
  void amongEqualVersionsTheCurrentSpellingThenTheMoreSpecificTagWins() {
    List<String> tags = List.of("1.5", "1.5.0", "v1.5.0", "v1.5");

    assertThat(new SemverPolicy("^1").candidates("1.4.0", tags))
        .containsExactly("1.5.0", "1.5", "v1.5.0", "v1.5");
    assertThat(new SemverPolicy("^1").candidates("v1.4.0", tags))
        .containsExactly("v1.5.0", "v1.5", "1.5.0", "1.5");
  }

  @Test
  void numbersCompareNumericallyNotAsText() {
    assertThat(new SemverPolicy("^1").select("1.9.0", List.of("1.9.0", "1.10.0", "1.2.0")))
        .contains("1.10.0");
  }

  @Test
  void withNothingNewerTheCurrentTagStays() {
    assertThat(new SemverPolicy("~1.4").select("1.4.2", List.of())).contains("1.4.2");
    assertThat(new SemverPolicy("~9").select("1.4.2", NGINX_LIKE)).contains("1.4.2");
  }

  @ParameterizedTest(name = "tags that are not versions are ignored: {0}")
  @ValueSource(
      strings = {"latest", "1.4.x", "1.4.2.1", "main-abc123", "", "v", "1..2", "01.2.3-rc.01"})
  void tagsThatAreNotVersionsAreIgnored(String tag) {
    assertThat(new SemverPolicy("*").candidates("0.0.1", List.of(tag))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "garbage!!",
        "~~1",
        "not a range",
        "1.x.3",
        "1.2.x-rc.1",
        "==1.2",
        "01.2",
        "1 - 2 - 3",
        ">=",
        "~1.2.3beta",
        "^1 foo",
        "1.2.3.4",
        "<=>1"
      })
  void refusesWhatIsNotARange(String range) {
    assertThatThrownBy(() -> new SemverPolicy(range))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(range);
  }

  @Test
  void theOtherPoliciesDoNotMoveTags() {
    List<String> tags = Arrays.asList("1.0", "2.0");

    assertThat(new DigestPolicy().select("latest", tags)).contains("latest");
    assertThat(new DigestPolicy().needsTagList()).isFalse();
    assertThat(new NonePolicy().select("1.0", tags)).isEqualTo(Optional.empty());
    assertThat(new NonePolicy().candidates("1.0", tags)).isEmpty();
  }

  /**
   * A range longer than specs and annotations allow is refused before the grammar runs: 40,000
   * characters of these overflowed its stack or took seconds.
   */
  @ParameterizedTest(name = "{0} repeated")
  @ValueSource(strings = {"a.", "0.", "1 "})
  void aRangeLongerThan256CharactersIsRefusedAtOnce(String unit) {
    String range = "1.2.3-" + unit.repeat(20_000) + "!";

    assertThatThrownBy(
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(2), () -> SemverPolicy.validate(range)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a semver range")
        .hasMessageContaining("at most 256");
    String longestAllowed = "^1 || ".repeat(42) + "^1";
    assertThat(longestAllowed.length()).isLessThanOrEqualTo(256);
    assertThatCode(() -> SemverPolicy.validate(longestAllowed)).doesNotThrowAnyException();
  }
}
