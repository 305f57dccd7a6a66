package dev.freshet.testbed.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One request as {@link FaultyRegistry} saw it arrive.
 *
 * @param arrivedAt when it arrived, before any fault or the real registry answered
 * @param method {@code HEAD}, {@code GET}…
 * @param path the path, without the query
 * @param fault the kind of fault that answered it ({@link Fault#kind()}), empty if it was proxied
 *     unchanged
 * @param retryAfter the {@code Retry-After} the proxy sent with it, if any
 * @param notBefore the moment that {@code Retry-After} named
 */
public record SeenRequest(
    Instant arrivedAt,
    String method,
    String path,
    Optional<String> fault,
    Optional<String> retryAfter,
    Optional<Instant> notBefore) {

  /** The time between each request and the next, in the order given. */
  public static List<Duration> gaps(List<SeenRequest> requests) {
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < requests.size(); i++) {
      gaps.add(Duration.between(requests.get(i - 1).arrivedAt(), requests.get(i).arrivedAt()));
    }
    return gaps;
  }

  @Override
  public String toString() {
    return arrivedAt
        + " "
        + method
        + " "
        + path
        + fault.map(f -> " [" + f + "]").orElse("")
        + retryAfter.map(r -> " Retry-After: " + r).orElse("");
  }
}
