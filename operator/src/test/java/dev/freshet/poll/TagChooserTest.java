package dev.freshet.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.update.Decision;
import dev.freshet.update.ImageRecord;
import dev.freshet.update.Pin;
import dev.freshet.update.UpdateEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tag list that offers nothing nameable never moves a workload. The registry client points at a
 * port nothing listens on: a choice that asked it anything would fail with Unreachable, so these
 * cases also show that no candidate got as far as a registry request.
 */
class TagChooserTest {
  private static final String RUNNING_DIGEST = "sha256:" + "a".repeat(64);
  private final Clock clock = Clock.systemUTC();
  private final TagChooser chooser = new TagChooser(Platform.parse("linux/amd64"), clock);
  private final Resolver unreachableRegistry = Resolver.builder().build();

  static Stream<Arguments> listsWithNothingToPin() {
    PolicySpec semver =
        new PolicySpec(
            PolicySpec.Kind.SEMVER, Optional.of("~1.4"), Optional.empty(), Optional.empty());
    // Matches the empty string, so only the chooser's own check keeps "" from being a candidate.
    PolicySpec anyLowercase =
        new PolicySpec(
            PolicySpec.Kind.PATTERN,
            Optional.empty(),
            Optional.of("^(?<name>[a-z]*)$"),
            Optional.of("alphabetical"));
    return Stream.of(
        Arguments.of("semver, no tags", semver, List.of()),
        Arguments.of("semver, an empty tag", semver, List.of("")),
        Arguments.of("pattern, no tags", anyLowercase, List.of()),
        Arguments.of("pattern, an empty tag", anyLowercase, List.of("")),
        Arguments.of(
            "pattern, tags no reference can name", anyLowercase, List.of("", ".hidden", "-x")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listsWithNothingToPin")
  void yieldsNoCandidateAndTheEngineKeepsWhatRuns(
      String name, PolicySpec policy, List<String> tags) {
    var watch = new ImageWatch("127.0.0.1:1", "team/web", "1.4.2", policy, Optional.empty());

    Resolution resolution =
        chooser.choose(
            watch,
            ImageReference.parse("127.0.0.1:1/team/web:1.4.2"),
            tags,
            unreachableRegistry,
            TagChooser.Deadline.after(Duration.ofSeconds(20), clock));

    assertThat(resolution).isInstanceOf(Resolution.NoCandidate.class);
    Optional<Pin> running = Optional.of(new Pin("1.4.2", RUNNING_DIGEST));
    Decision decision =
        UpdateEngine.decide(running, ImageRecord.EMPTY, Optional.of(resolution), Optional.empty());
    assertThat(decision).isInstanceOf(Decision.Stay.class);
  }
}
