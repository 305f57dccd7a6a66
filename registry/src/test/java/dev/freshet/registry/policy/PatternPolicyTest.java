package dev.freshet.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternPolicyTest {
  private static final List<String> TAGS =
      List.of(
          "latest",
          "main-9-abc1234",
          "main-10-def5678",
          "main-100-0123456",
          "main-11-nothex!",
          "pr-200-abc1234",
          "release-2024-01-05",
          "release-2024-11-20",
          "release-2024-02-30",
          "build-v1.9.0",
          "build-v1.10.0",
          "build-1.10.1-rc.1",
          "build-x");

  @ParameterizedTest(name = "{0} by {2} from {3}: {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # regex                                  | group   | ordering     | current            | expected
          ^main-(?<build>\\d+)-[0-9a-f]{7}$         | build   | NUMERIC      | main-9-abc1234     | main-100-0123456
          ^main-(?<build>\\d+)-[0-9a-f]{7}$         | build   | NUMERIC      | latest             | main-100-0123456
          ^main-(?<build>\\d+)-[0-9a-f]{7}$         | build   | NUMERIC      | main-100-0123456   | main-100-0123456
          ^main-(?<build>\\d+)-[0-9a-f]{7}$         | build   | ALPHABETICAL | main-10-def5678    | main-9-abc1234
          release-(?<date>\\d{4}-\\d{2}-\\d{2})     | date    | ALPHABETICAL | release-2024-01-05 | release-2024-11-20
          build-(?<version>.+)                      | version | SEMVER       | build-v1.9.0       | build-1.10.1-rc.1
          build-(?<version>[v\\d.]+)                | version | SEMVER       | build-v1.9.0       | build-v1.10.0
          """)
  void choosesTheTagWithTheHighestCapturedKey(
      String regex, String group, TagOrdering ordering, String current, String expected) {
    assertThat(new PatternPolicy(regex, group, ordering).select(current, TAGS)).contains(expected);
  }

  @Test
  void theWholeTagMustMatch() {
    PatternPolicy policy = new PatternPolicy("main-(?<build>\\d+)", "build", TagOrdering.NUMERIC);

    assertThat(policy.candidates("latest", TAGS)).isEmpty();
  }

  @Test
  void numericOrderIsByValueAndCandidatesComeNewestFirst() {
    PatternPolicy policy =
        new PatternPolicy("^main-(?<build>\\d+)-[0-9a-f]{7}$", "build", TagOrdering.NUMERIC);

    assertThat(policy.candidates("main-9-abc1234", TAGS))
        .containsExactly("main-100-0123456", "main-10-def5678");
  }

  /** The regex decides what qualifies, pre-releases included; they order below their release. */
  @Test
  void semverOrderSkipsCapturesThatAreNotVersions() {
    PatternPolicy policy = new PatternPolicy("build-(?<version>.+)", "version", TagOrdering.SEMVER);

    assertThat(policy.candidates("latest", TAGS))
        .containsExactly("build-1.10.1-rc.1", "build-v1.10.0", "build-v1.9.0");
  }

  @Test
  void refusesAnInvalidRegexOrAMissingGroup() {
    assertThatThrownBy(() -> new PatternPolicy("main-(", "build", TagOrdering.NUMERIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid tag pattern");
    assertThatThrownBy(() -> new PatternPolicy("main-(\\d+)", "build", TagOrdering.NUMERIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(?<build>");
  }

  /**
   * java.util.regex backtracks through every way of splitting the tag among the twelve {@code .*}:
   * this tag kept a thread at 100% CPU for longer than any poll interval. RE2 answers at once.
   */
  @Test
  void aCatastrophicPatternAgainstLongTagsAnswersInLinearTime() {
    List<String> longTags =
        IntStream.range(0, 200).mapToObj(i -> "a".repeat(100) + "-" + i + "x").toList();
    PatternPolicy policy =
        PatternPolicy.byFirstNamedGroup("^(?<v>(.*a){12})$", TagOrdering.ALPHABETICAL);

    List<String> candidates =
        assertTimeoutPreemptively(
            Duration.ofSeconds(2), () -> policy.candidates("latest", longTags));

    assertThat(candidates).isEmpty();
  }

  /**
   * The classic patterns that backtrack exponentially in java.util.regex, each against a thousand
   * tags that almost match, up to 10,000 characters long (a registry may list any tag): RE2 answers
   * in linear time, so a user's pattern never holds a poll thread.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "^(?<v>(a+)+)$",
        "^(?<v>(a|aa)+)$",
        "^(?<v>(a|a?)+)$",
        "^(?<v>(.*a){20})$",
        "^(?<v>(\\w+\\d*)+)$",
        "^(?<v>([a-z]+)*[0-9])$"
      })
  void classicEvilPatternsAnswerQuicklyOnLongTags(String regex) {
    List<String> tags =
        IntStream.range(0, 1000)
            .mapToObj(i -> "a".repeat(i < 990 ? 30 + i % 100 : 10_000) + "!")
            .toList();
    PatternPolicy policy = PatternPolicy.byFirstNamedGroup(regex, TagOrdering.ALPHABETICAL);

    List<String> candidates =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> policy.candidates("latest", tags));

    assertThat(candidates).isEmpty();
  }

  @Test
  void namedGroupsMayBeWrittenEitherWay() {
    List<String> tags = List.of("main-9", "main-10");

    assertThat(
            PatternPolicy.byFirstNamedGroup("^main-(?<n>\\d+)$", TagOrdering.NUMERIC)
                .select("main-9", tags))
        .contains("main-10");
    assertThat(
            PatternPolicy.byFirstNamedGroup("^main-(?P<n>\\d+)$", TagOrdering.NUMERIC)
                .select("main-9", tags))
        .contains("main-10");
  }

  @Test
  void theFirstNamedGroupOrdersWhenThereAreSeveral() {
    PatternPolicy policy =
        PatternPolicy.byFirstNamedGroup("^(?<date>\\d{8})-(?<build>\\d+)$", TagOrdering.NUMERIC);

    assertThat(policy.group()).isEqualTo("date");
    assertThat(policy.select("x", List.of("20250101-9", "20250102-1"))).contains("20250102-1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          (?<v>a)\\1                | invalid escape sequence
          (?<v>a)(?=b)               | unsupported Perl syntax
          (?<v>a++)                  | invalid nested repetition
          ^(?<v>((a{100}){100}){10})$ | too complex
          ^main-(\\d+)$             | needs a named group
          """)
  void refusesWhatRe2CannotRunWithAMessageSayingWhy(String regex, String why) {
    assertThatThrownBy(() -> PatternPolicy.validate(regex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void acceptsTheDocumentedExamples() {
    assertThatCode(() -> PatternPolicy.validate("^main-(?<build>\\d+)-[0-9a-f]{7}$"))
        .doesNotThrowAnyException();
    assertThatCode(() -> PatternPolicy.validate("^release-(?<date>\\d{4}-\\d{2}-\\d{2})$"))
        .doesNotThrowAnyException();
  }
}
