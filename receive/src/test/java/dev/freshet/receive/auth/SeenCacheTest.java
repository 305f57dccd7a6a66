package dev.freshet.receive.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SeenCacheTest {

  private final MutableClock clock = new MutableClock();

  @Test
  void aKeyIsNewOnceWithinItsTimeToLive() {
    SeenCache cache = new SeenCache(clock, Duration.ofMinutes(10), 100);
    assertThat(cache.firstSighting("a")).isTrue();
    assertThat(cache.firstSighting("a")).isFalse();
    clock.advance(Duration.ofMinutes(11));
    assertThat(cache.firstSighting("a")).isTrue();
  }

  @Test
  void whenFullTheOldestKeyIsForgotten() {
    SeenCache cache = new SeenCache(clock, Duration.ofMinutes(10), 2);
    cache.firstSighting("a");
    cache.firstSighting("b");
    cache.firstSighting("c");
    assertThat(cache.firstSighting("b")).isFalse();
    assertThat(cache.firstSighting("a")).isTrue();
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-25T08:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
