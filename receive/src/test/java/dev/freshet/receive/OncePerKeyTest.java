package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Log lines for ignored events: once per key and period, and never more keys than the bound. */
class OncePerKeyTest {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @Test
  void aKeyIsSaidYesToOncePerPeriod() {
    OncePerKey once = new OncePerKey(clock, Duration.ofMinutes(5), 10);

    assertThat(once.tryAcquire("harbor/untagged/a")).isTrue();
    assertThat(once.tryAcquire("harbor/untagged/a")).isFalse();
    assertThat(once.tryAcquire("harbor/untagged/b")).isTrue();
    now.set(now.get().plus(Duration.ofMinutes(4)));
    assertThat(once.tryAcquire("harbor/untagged/a")).isFalse();
    now.set(now.get().plus(Duration.ofMinutes(1)));
    assertThat(once.tryAcquire("harbor/untagged/a")).isTrue();
  }

  @Test
  void manyDistinctKeysNeverGrowItPastTheBound() {
    OncePerKey once = new OncePerKey(clock, Duration.ofMinutes(5), 100);

    for (int i = 0; i < 10_000; i++) {
      assertThat(once.tryAcquire("image-" + i)).isTrue();
    }

    assertThat(once.size()).isEqualTo(100);
    assertThat(once.tryAcquire("image-9999")).isFalse();
    // The oldest were forgotten: at worst they are logged again.
    assertThat(once.tryAcquire("image-0")).isTrue();
  }
}
