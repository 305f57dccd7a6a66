package dev.freshet.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tag lists come from registries we do not control, ranges and patterns from the people who write
 * Apps and annotations: policies read or refuse any of them with a reason, and rank any tag list
 * without failing, never offering a tag the registry did not list or one older than the current.
 */
class PolicyFuzzTest {
  private static final List<UpdatePolicy> POLICIES =
      List.of(
          new SemverPolicy("*", true),
          new SemverPolicy("~1.4"),
          new PatternPolicy("(?<n>\\d+).*", "n", TagOrdering.NUMERIC),
          new PatternPolicy("(?<v>.*)", "v", TagOrdering.SEMVER),
          new PatternPolicy("(?<a>.*)", "a", TagOrdering.ALPHABETICAL));

  @FuzzTest(maxDuration = "30s")
  void anyTagListIsRankedWithoutErrors(FuzzedDataProvider data) {
    String current = data.consumeString(64);
    List<String> tags = tags(data);
    for (UpdatePolicy policy : POLICIES) {
      assertRanked(policy, current, tags);
    }
  }

  /** A range as a user writes it (the CRD allows 256 characters), then tags to rank with it. */
  @FuzzTest(maxDuration = "30s")
  void anySemverRangeIsReadOrRefusedWithAReason(FuzzedDataProvider data) {
    String range = data.consumeString(256);
    boolean includePrerelease = data.consumeBoolean();
    String current = data.consumeString(64);
    List<String> tags = tags(data);
    SemverPolicy policy;
    try {
      SemverPolicy.validate(range);
      policy = new SemverPolicy(range, includePrerelease);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains("is not a semver range");
      return;
    }
    List<String> candidates = assertRanked(policy, current, tags);
    // Best first: each candidate's version is at least the next one's.
    for (int i = 1; i < candidates.size(); i++) {
      VersionTag better = VersionTag.parse(candidates.get(i - 1)).orElseThrow();
      VersionTag worse = VersionTag.parse(candidates.get(i)).orElseThrow();
      assertThat(better.version().compareTo(worse.version())).isGreaterThanOrEqualTo(0);
    }
  }

  /**
   * A pattern as a user writes it: refused with a reason, or run on RE2 against any tags, where
   * every candidate is a whole match. Hangs are what libFuzzer's per-input timeout catches.
   */
  @FuzzTest(maxDuration = "30s")
  void anyTagPatternIsRefusedOrRanksTagsItMatches(FuzzedDataProvider data) {
    String regex = data.consumeString(256);
    TagOrdering ordering = data.pickValue(TagOrdering.values());
    String current = data.consumeString(64);
    List<String> tags = tags(data);
    PatternPolicy policy;
    try {
      PatternPolicy.validate(regex);
      policy = PatternPolicy.byFirstNamedGroup(regex, ordering);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains("tag pattern");
      return;
    }
    Pattern whole = Pattern.compile(regex);
    for (String candidate : assertRanked(policy, current, tags)) {
      assertThat(whole.matches(candidate)).as(candidate).isTrue();
    }
  }

  private static List<String> tags(FuzzedDataProvider data) {
    List<String> tags = new ArrayList<>();
    while (data.remainingBytes() > 0 && tags.size() < 50) {
      tags.add(data.consumeString(64));
    }
    return tags;
  }

  /** The properties every policy keeps; returns the candidates. */
  private static List<String> assertRanked(UpdatePolicy policy, String current, List<String> tags) {
    List<String> candidates = policy.candidates(current, tags);
    assertThat(tags).containsAll(candidates);
    assertThat(candidates).doesNotHaveDuplicates().doesNotContain(current);
    Optional<String> selected = policy.select(current, tags);
    assertThat(selected).contains(candidates.isEmpty() ? current : candidates.get(0));
    if (policy instanceof SemverPolicy) {
      Optional<VersionTag> from = VersionTag.parse(current);
      for (String candidate : candidates) {
        VersionTag to = VersionTag.parse(candidate).orElseThrow();
        from.ifPresent(f -> assertThat(to.isNewerThan(f)).as("%s after %s", to, f).isTrue());
      }
    }
    return candidates;
  }
}
