package dev.freshet.registry.http;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with "equal jitter": the n-th delay is between half and all of {@code
 * min(max, initial·2^(n-1))}. Half is fixed so a struggling registry gets a real pause; the random
 * half spreads many workers' retries apart.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
    }
  }

  /**
   * The delay before retry number {@code attempt} (1 = the first retry).
   *
   * @param random given a bound b > 0, returns a value in [0, b)
   */
  public Duration delay(int attempt, LongUnaryOperator random) {
    long cap = max.toMillis();
    long ceiling = initial.toMillis();
    for (int i = 1; i < attempt && ceiling < cap; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap);
    long half = ceiling / 2;
    long jitter = ceiling - half > 0 ? random.applyAsLong(ceiling - half + 1) : 0;
    return Duration.ofMillis(half + jitter);
  }

  /** The smallest delay {@link #delay} can return for this attempt. */
  public Duration minimumDelay(int attempt) {
    return delay(attempt, bound -> 0);
  }
}
