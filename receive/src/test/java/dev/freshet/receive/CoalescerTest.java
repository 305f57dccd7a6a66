package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The first hint of a burst for one tag reaches the sink at once; the rest of the burst (a
 * multi-arch push) reaches it once more. Folding is tested with a window that never elapses during
 * the test and {@code close()}, which hands over what was gathered, so the result does not depend
 * on how fast the machine is; the tests that let windows elapse assert only what a slow machine
 * cannot break (a timer never fires early).
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
  void theFirstHintOfABurstIsHandedOverAtOnce() {
    try (Coalescer coalescer = new Coalescer(NEVER, delivered::add)) {
      coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));

      assertThat(delivered).containsExactly(hint("dev", Optional.of(INDEX), "d1"));
    }
  }

  @Test
  void theRestOfABurstBecomesOneFollowUpWithTheLatestDelivery() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d3"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d4"));
    assertThat(delivered).extracting(ImageHint::deliveryId).containsExactly("d1");

    coalescer.close();

    assertThat(delivered)
        .containsExactly(
            hint("dev", Optional.of(INDEX), "d1"), hint("dev", Optional.of(INDEX), "d4"));
  }

  @Test
  void aFollowUpWhoseHintsDisagreeLeavesTheDecisionToTheRegistry() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.of(AMD64), "d1"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
    coalescer.accept(hint("dev", Optional.of(AMD64), "d3"));

    coalescer.close();

    assertThat(delivered)
        .extracting(ImageHint::digest)
        .containsExactly(Optional.of(AMD64), Optional.empty());
  }

  @Test
  void aFollowUpWhoseHintsAgreeNamesTheirDigestWhateverTheFirstSaid() {
    Coalescer coalescer = new Coalescer(NEVER, delivered::add);
    coalescer.accept(hint("dev", Optional.of(AMD64), "d1"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
    coalescer.accept(hint("dev", Optional.of(INDEX), "d3"));

    coalescer.close();

    assertThat(delivered)
        .extracting(ImageHint::digest)
        .containsExactly(Optional.of(AMD64), Optional.of(INDEX));
  }

  @Test
  void differentTagsAreNotFolded() {
    try (Coalescer coalescer = new Coalescer(NEVER, delivered::add)) {
      coalescer.accept(hint("dev", Optional.empty(), "d1"));
      coalescer.accept(hint("1.0", Optional.empty(), "d2"));

      assertThat(delivered).extracting(ImageHint::tag).containsExactly("dev", "1.0");
    }
  }

  @Test
  void theFollowUpIsHandedOverWhenTheWindowEndsAndALaterPushIsFirstAgain() {
    Duration window = Duration.ofMillis(200);
    try (Coalescer coalescer = new Coalescer(window, delivered::add)) {
      coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));
      coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
      assertThat(delivered).extracting(ImageHint::deliveryId).containsExactly("d1", "d2");

      // The follow-up opened a window of its own; once that ends with nothing in it, the next
      // push is a first one again and goes at once.
      await().pollDelay(window.multipliedBy(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      coalescer.accept(hint("dev", Optional.of(INDEX), "d3"));
      assertThat(delivered).extracting(ImageHint::deliveryId).containsExactly("d1", "d2", "d3");
    }
  }

  @Test
  void aSteadyFloodReachesTheSinkAtMostOncePerWindow() throws InterruptedException {
    Duration window = Duration.ofMillis(50);
    List<Long> handedOverAt = new CopyOnWriteArrayList<>();
    int sent = 0;
    try (Coalescer coalescer = new Coalescer(window, h -> handedOverAt.add(System.nanoTime()))) {
      long end = System.nanoTime() + window.multipliedBy(10).toNanos();
      while (System.nanoTime() < end) {
        coalescer.accept(hint("dev", Optional.of(INDEX), "d" + sent++));
        Thread.sleep(2);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> handedOverAt.size() >= 2);
    }

    assertThat(sent).isGreaterThan(handedOverAt.size());
    List<Long> gapsMillis = new ArrayList<>();
    for (int i = 1; i < handedOverAt.size(); i++) {
      gapsMillis.add((handedOverAt.get(i) - handedOverAt.get(i - 1)) / 1_000_000);
    }
    // A scheduled task never runs early; allow a millisecond for the clock's rounding.
    assertThat(gapsMillis)
        .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(window.toMillis() - 1));
  }

  @Test
  void aSinkThatThrowsDoesNotStopLaterHints() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Coalescer coalescer =
        new Coalescer(
            NEVER,
            h -> {
              seen.add(h.tag() + "/" + h.deliveryId());
              if (h.tag().equals("bad")) {
                throw new IllegalStateException("boom");
              }
            });
    coalescer.accept(hint("bad", Optional.empty(), "d1"));
    coalescer.accept(hint("bad", Optional.empty(), "d2"));
    coalescer.accept(hint("good", Optional.empty(), "d3"));

    coalescer.close();

    assertThat(seen).containsExactlyInAnyOrder("bad/d1", "good/d3", "bad/d2");
  }
}
