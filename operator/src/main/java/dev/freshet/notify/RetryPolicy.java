package dev.freshet.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a failed send is tried again: after {@code first}, then twice as long each time up to {@code
 * cap}, at most {@code maxAttempts} sends in all. A 429 or 5xx answer, a timeout or a connection
 * failure is retried; any other 4xx is not (the same request would be refused again). A {@code
 * Retry-After} the target sends is honoured, up to {@code maxRetryAfter}.
 */
public record RetryPolicy(Duration first, Duration cap, int maxAttempts, Duration maxRetryAfter) {

  /** 1 s, 2 s, 4 s, 8 s, 16 s: six sends within about half a minute. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 6, Duration.ofMinutes(5));

  public RetryPolicy {
    // Signatures carry Unix seconds: pauses of a second or more give every retry a timestamp, and
    // so a signature, of its own, which a receiver that refuses replays will take.
    if (first.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the first pause must be at least 1s, not " + first);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt, not " + maxAttempts);
    }
  }

  /** Whether an answer with this status is worth sending again; 0 stands for no answer at all. */
  static boolean retries(int status) {
    return status == 0 || status == 429 || status >= 500;
  }

  /**
   * The pause before retry number {@code retry} (1 for the first retry), or longer if the target
   * asked for it with {@code Retry-After}.
   */
  Duration delay(int retry, Optional<Duration> retryAfter) {
    Duration backoff = first.multipliedBy(1L << Math.min(retry - 1, 30));
    if (backoff.compareTo(cap) > 0 || backoff.isNegative()) {
      backoff = cap;
    }
    if (retryAfter.isPresent() && retryAfter.get().compareTo(backoff) > 0) {
      return retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
    }
    return backoff;
  }

  /** A {@code Retry-After} header's wait: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
  static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (value.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
