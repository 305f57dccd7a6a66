package dev.freshet.registry;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's published request budget, as Docker Hub sends it: {@code ratelimit-limit:
 * 100;w=21600} and {@code ratelimit-remaining: 76;w=21600} (requests per window of w seconds).
 */
public record RateLimitBudget(long limit, long remaining, Duration window, Instant observedAt) {
  private static final Pattern VALUE =
      Pattern.compile("\\s*(\\d{1,18})\\s*(?:;\\s*w\\s*=\\s*(\\d{1,12}))?.*");

  /** The budget in these headers, if the registry sends both. */
  public static Optional<RateLimitBudget> fromHeaders(HttpHeaders headers, Instant now) {
    Optional<String> limit = headers.firstValue("ratelimit-limit");
    Optional<String> remaining = headers.firstValue("ratelimit-remaining");
    if (limit.isEmpty() || remaining.isEmpty()) {
      return Optional.empty();
    }
    Matcher l = VALUE.matcher(limit.get());
    Matcher r = VALUE.matcher(remaining.get());
    if (!l.matches() || !r.matches()) {
      return Optional.empty();
    }
    String w = r.group(2) != null ? r.group(2) : l.group(2);
    Duration window = w == null ? Duration.ZERO : Duration.ofSeconds(Long.parseLong(w));
    return Optional.of(
        new RateLimitBudget(Long.parseLong(l.group(1)), Long.parseLong(r.group(1)), window, now));
  }

  /**
   * When the whole window has slid past this observation. Docker Hub's window slides and it sends
   * no reset time, so this is the latest moment by which the budget has surely recovered.
   */
  public Instant windowEnd() {
    return observedAt.plus(window);
  }
}
