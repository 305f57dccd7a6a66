package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Bursts of hints for one tag (a multi-arch push) reach the sink once. */
class CoalescerTest {

  private static final String INDEX = "sha256:" + "a".repeat(64);
  private static final String AMD64 = "sha256:" + "b".repeat(64);

  private final List<ImageHint> delivered = new CopyOnWriteArrayList<>();

  private static ImageHint hint(String tag, Optional<String> digest, String delivery) {
    return new ImageHint("ghcr.io", "org/app", tag, digest, delivery, "github");
  }

  @Test
  void aBurstForOneTagBecomesOneHintWithTheLatestDelivery() {
    try (Coalescer coalescer = new Coalescer(Duration.ofMillis(300), delivered::add)) {
      coalescer.accept(hint("dev", Optional.of(INDEX), "d1"));
      coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));
      coalescer.accept(hint("dev", Optional.of(INDEX), "d3"));

      await().atMost(Duration.ofSeconds(5)).until(() -> !delivered.isEmpty());
      assertThat(delivered).containsExactly(hint("dev", Optional.of(INDEX), "d3"));
    }
  }

  @Test
  void disagreeingDigestsLeaveTheDecisionToTheRegistry() {
    try (Coalescer coalescer = new Coalescer(Duration.ofMillis(300), delivered::add)) {
      coalescer.accept(hint("dev", Optional.of(AMD64), "d1"));
      coalescer.accept(hint("dev", Optional.of(INDEX), "d2"));

      await().atMost(Duration.ofSeconds(5)).until(() -> !delivered.isEmpty());
      assertThat(delivered).singleElement().satisfies(h -> assertThat(h.digest()).isEmpty());
    }
  }

  @Test
  void differentTagsAreNotMerged() {
    try (Coalescer coalescer = new Coalescer(Duration.ofMillis(300), delivered::add)) {
      coalescer.accept(hint("dev", Optional.empty(), "d1"));
      coalescer.accept(hint("1.0", Optional.empty(), "d2"));

      await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
      assertThat(delivered).extracting(ImageHint::tag).containsExactlyInAnyOrder("dev", "1.0");
    }
  }

  @Test
  void closingHandsOverWhatIsPending() {
    Coalescer coalescer = new Coalescer(Duration.ofHours(1), delivered::add);
    coalescer.accept(hint("dev", Optional.empty(), "d1"));
    coalescer.close();
    assertThat(delivered).extracting(ImageHint::deliveryId).containsExactly("d1");
  }
}
