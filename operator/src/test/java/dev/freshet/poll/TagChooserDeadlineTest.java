package dev.freshet.poll;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.Resolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Choosing a tag ends at its deadline, however many tags the policy has to look at. */
class TagChooserDeadlineTest {

  /** A clock that moves one second every time it is read: each tag looked at costs a second. */
  private static final class SlowClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      now = now.plusSeconds(1);
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final ImageWatch watch =
      new ImageWatch(
          "127.0.0.1:5000",
          "team/web",
          "latest",
          new PolicySpec(
              PolicySpec.Kind.PATTERN,
              Optional.empty(),
              Optional.of("^build-(?<n>[0-9]+)$"),
              Optional.of("numeric")),
          Optional.empty());

  @Test
  void aChoiceOutlivingItsBudgetIsStopped() {
    Clock clock = new SlowClock();
    List<String> tags = IntStream.range(0, 1000).mapToObj(i -> "other-" + i).toList();
    var chooser = new TagChooser(Platform.parse("linux/amd64"), clock);
    var deadline = TagChooser.Deadline.after(Duration.ofSeconds(30), clock);

    assertThatThrownBy(
            () ->
                chooser.choose(
                    watch,
                    ImageReference.parse("127.0.0.1:5000/team/web:latest"),
                    tags,
                    Resolver.builder().build(),
                    deadline))
        .isInstanceOf(TagChooser.DeadlinePassed.class)
        .hasMessage("choosing a tag took longer than 30s");
  }
}
