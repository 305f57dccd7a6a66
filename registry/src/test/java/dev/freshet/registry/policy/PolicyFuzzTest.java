package dev.freshet.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Tag lists come from registries we do not control: policies must rank any of them without failing.
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
    List<String> tags = new ArrayList<>();
    while (data.remainingBytes() > 0 && tags.size() < 50) {
      tags.add(data.consumeString(64));
    }
    for (UpdatePolicy policy : POLICIES) {
      List<String> candidates = policy.candidates(current, tags);
      assertThat(tags).containsAll(candidates);
      assertThat(candidates).doesNotHaveDuplicates();
    }
  }
}
