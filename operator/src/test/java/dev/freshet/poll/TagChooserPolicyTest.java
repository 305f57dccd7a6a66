package dev.freshet.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.policy.SemverPolicy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spec's pre-release choice reaches the registry module's semver policy. */
class TagChooserPolicyTest {
  private static final List<String> TAGS = List.of("2.0.0", "2.1.0-rc.1", "3.0.0-rc.1");

  @Test
  void aSemverSpecIncludingPreReleasesChoosesThem() {
    PolicySpec spec =
        new PolicySpec(
            PolicySpec.Kind.SEMVER, Optional.of("2.x"), Optional.empty(), Optional.empty(), true);

    assertThat(TagChooser.policy(spec)).isEqualTo(new SemverPolicy("2.x", true));
    assertThat(TagChooser.policy(spec).candidates("2.0.0", TAGS)).containsExactly("2.1.0-rc.1");
    assertThat(spec).hasToString("semver 2.x with pre-releases");
  }

  @Test
  void aSemverSpecByDefaultLeavesPreReleasesOutOfAPlainRange() {
    PolicySpec spec =
        new PolicySpec(
            PolicySpec.Kind.SEMVER, Optional.of("2.x"), Optional.empty(), Optional.empty());

    assertThat(TagChooser.policy(spec).candidates("2.0.0", TAGS)).isEmpty();
  }
}
