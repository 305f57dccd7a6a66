package dev.freshet.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void pausesDoubleUpToTheCap() {
    var policy = RetryPolicy.DEFAULT;
    assertThat(policy.delay(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(2, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(3, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(7, Optional.empty())).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delay(64, Optional.empty())).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void retryAfterIsHonouredInSecondsOrAsADateUpToItsLimit() {
    var policy = RetryPolicy.DEFAULT;
    assertThat(policy.delay(1, RetryPolicy.retryAfter(Optional.of("30"), NOW)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(
            policy.delay(
                1, RetryPolicy.retryAfter(Optional.of("Tue, 01 Dec 2026 10:02:00 GMT"), NOW)))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(policy.delay(1, RetryPolicy.retryAfter(Optional.of("86400"), NOW)))
        .isEqualTo(Duration.ofMinutes(5));
    // Shorter than the back-off, or unreadable: the back-off stands.
    assertThat(policy.delay(3, RetryPolicy.retryAfter(Optional.of("1"), NOW)))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(RetryPolicy.retryAfter(Optional.of("soon"), NOW)).isEmpty();
  }

  @Test
  void onlyNoAnswerTooManyRequestsAndServerErrorsAreRetried() {
    assertThat(RetryPolicy.retries(0)).isTrue();
    assertThat(RetryPolicy.retries(429)).isTrue();
    assertThat(RetryPolicy.retries(500)).isTrue();
    assertThat(RetryPolicy.retries(503)).isTrue();
    assertThat(RetryPolicy.retries(400)).isFalse();
    assertThat(RetryPolicy.retries(401)).isFalse();
    assertThat(RetryPolicy.retries(404)).isFalse();
  }
}
