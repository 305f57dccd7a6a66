package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Bursts of hints for one tag (a multi-arch push) reach the sink once. Merging is tested with a
 * window that never elapses during the test and {@code close()}, which hands over what is pending,
 * so the result does not depend on how fast the machine is.
 */
class CoalescerTest {

  private static final Duration NEVER = Duration.ofHours(1);
  private static final String INDEX = "sha256:" + "a".repeat(64);
  private static final String AMD64 = "sha256:" + "b".repeat(64);

  private final List<ImageHint> delivered = new CopyOnWriteArrayList<>();

  private static ImageHint hint(String tag, Optional<String> digest, String delivery) {
    return new ImageHint("ghcr.io", "org/app", tag, digest, delivery, "github");
  }

  @Test
  void aBurstForOneTagBecomesOneHintWithTheLatestDelivery() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d3"));
    assertThat(delivered).isEmpty();

    coalescer.close();

    assertThat(delivered).containsExactly(hint("dev", Optional.of(INDEX), "d3"));
  }

  @Test
  void disagreeingDigestsLeaveTheDecisionToTheRegistry() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.of(AMD64), "d1"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
    coalescer.accept(hint("dev", Optional.of(AMD64), "d3"));

    coalescer.close();

    assertThat(delivered).singleElement().satisfies(h -> assertThat(h.digest()).isEmpty());
  }

  @Test
  void differentTagsAreNotMerged() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.empty(), "d1"));
    coalescer.accept(hint("1.0", Optional.empty(), "d2"));

    coalescer.close();

    assertThat(delivered).extracting(ImageHint::tag).containsExactlyInAnyOrder("dev", "1.0");
  }

  @Test
  void theSinkIsCalledWhenTheWindowEnds() {
    try (Coalescer coalescer = new Coalescer(Duration.ofMillis(200), delivered::add)) {
      coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));

      await().atMost(Duration.ofSeconds(10)).until(() -> !delivered.isEmpty());
      assertThat(delivered).containsExactly(hint("dev", Optional.of(INDEX), "d1"));
    }
  }

  @Test
  void aSinkThatThrowsDoesNotStopLaterHints() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Coalescer coalescer =
        new Coalescer(
            NEVER,
            h -> {
              seen.add(h.tag());
              if (h.tag().equals("bad")) {
                throw new IllegalStateException("boom");
              }
            });
    coalescer.accept(hint("bad", Optional.empty(), "d1"));
    coalescer.accept(hint("good", Optional.empty(), "d2"));

    coalescer.close();

    assertThat(seen).containsExactlyInAnyOrder("bad", "good");
  }
}
