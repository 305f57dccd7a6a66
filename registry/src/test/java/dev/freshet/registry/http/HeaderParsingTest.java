package dev.freshet.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.registry.RateLimitBudget;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Retry-After, Link and Docker Hub's rate-limit headers, as registries send them. */
class HeaderParsingTest {
  private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

  @ParameterizedTest(name = "Retry-After: {0}")
  @CsvSource({
    "0, 2026-11-25T08:00:00Z",
    "120, 2026-11-25T08:02:00Z",
    "' 30 ', 2026-11-25T08:00:30Z",
    "'Wed, 25 Nov 2026 08:05:00 GMT', 2026-11-25T08:05:00Z",
    "'Wed, 25 Nov 2026 07:59:00 GMT', 2026-11-25T07:59:00Z",
  })
  void retryAfterIsSecondsOrAnHttpDate(String header, Instant expected) {
    assertThat(RetryAfter.parse(header, NOW)).contains(expected);
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(
      strings = {"", "soon", "-5", "1.5", "99999999999999999999", "Wed, 31 Feb 2026 08:00:00 GMT"})
  void unreadableRetryAfterIsEmpty(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "</v2/app/tags/list?n=2&last=b>; rel=\"next\"                      | /v2/app/tags/list?n=2&last=b",
        "</v2/app/tags/list?last=b&n=2>; rel=next                          | /v2/app/tags/list?last=b&n=2",
        "<https://r.example/v2/a/tags/list?last=x>;rel=\"next\"           | https://r.example/v2/a/tags/list?last=x",
        "</first>; rel=\"prev\", </second>; rel=\"next\"                   | /second",
        "</x>; title=\"a, b\"; rel=\"next\"                                | /x",
        "</x>; rel=\"last next\"                                            | /x",
        "</x>; REL=\"Next\"                                                 | /x",
      })
  void linkHeaderGivesTheNextPage(String header, String expected) {
    assertThat(LinkHeader.next(List.of(header))).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"</x>; rel=\"prev\"", "</x>", "garbage", "</x>; rel=\"nextpage\""})
  void linkHeaderWithoutNextIsTheLastPage(String header) {
    assertThat(LinkHeader.next(List.of(header))).isEmpty();
  }

  @Test
  void dockerHubRateLimitHeadersGiveLimitRemainingAndWindow() {
    HttpHeaders headers =
        headers(Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "76;w=21600"));

    assertThat(RateLimitBudget.fromHeaders(headers, NOW))
        .contains(new RateLimitBudget(100, 76, Duration.ofHours(6), NOW));
    assertThat(RateLimitBudget.fromHeaders(headers, NOW).orElseThrow().windowEnd())
        .isEqualTo(NOW.plus(Duration.ofHours(6)));
  }

  @Test
  void withoutBothHeadersThereIsNoBudget() {
    assertThat(RateLimitBudget.fromHeaders(headers(Map.of("ratelimit-limit", "100;w=21600")), NOW))
        .isEmpty();
    assertThat(
            RateLimitBudget.fromHeaders(
                headers(Map.of("ratelimit-limit", "x", "ratelimit-remaining", "y")), NOW))
        .isEmpty();
  }

  @Test
  void backoffDoublesFromTheInitialDelayUpToTheCapWithJitterInTheUpperHalf() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    assertThat(backoff.minimumDelay(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.delay(1, bound -> bound - 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.minimumDelay(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(3, bound -> bound - 1)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.delay(30, bound -> bound - 1)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.minimumDelay(30)).isEqualTo(Duration.ofMillis(500));
  }

  @FuzzTest(maxDuration = "30s")
  void headerParsersNeverThrow(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Optional<Instant> retryAt = RetryAfter.parse(text, NOW);
    assertThat(retryAt).isNotNull();
    assertThat(LinkHeader.next(List.of(text))).isNotNull();
    assertThat(
            RateLimitBudget.fromHeaders(
                headers(Map.of("ratelimit-limit", text, "ratelimit-remaining", text)), NOW))
        .isNotNull();
  }

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    values.forEach((k, v) -> map.put(k, List.of(v)));
    return HttpHeaders.of(map, (k, v) -> true);
  }
}
