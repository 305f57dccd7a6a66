package dev.freshet.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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

  /**
   * A registry that sends a hostile Link header cannot hold a poll thread: 100 KB of any of these
   * is read in one scan. The regular expression used before took 14 s on 10 KB of {@code <},
   * quadratic in the length, and overflowed the stack on 100 KB of {@code <a>;}.
   */
  @ParameterizedTest(name = "{0} repeated")
  @ValueSource(strings = {"<", "<a>;", "<a>;x=\"", "<a>; x = ", ";", "\"", "< ", "<a>;x=\"<", ">"})
  void aHostileLinkHeaderIsReadInLinearTime(String unit) {
    String header = unit.repeat(100_000 / unit.length());

    Optional<String> next =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> LinkHeader.next(List.of(header)));

    assertThat(next).isEmpty();
  }

  @Test
  void aNextLinkAfterAThousandParametersIsStillFound() {
    String header = "</x>" + "; a=b".repeat(1000) + "; rel=next";

    assertThat(LinkHeader.next(List.of(header))).contains("/x");
  }

  /** Response headers are the registry's to write: no input may throw. */
  @FuzzTest(maxDuration = "30s")
  void headerParsersNeverThrow(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    assertThat(RetryAfter.parse(text, NOW)).isNotNull();
    assertThat(LinkHeader.next(List.of(text))).isNotNull();
    Optional<RateLimitBudget> budget =
        RateLimitBudget.fromHeaders(
            headers(Map.of("ratelimit-limit", text, "ratelimit-remaining", text)), NOW);
    budget.ifPresent(
        b -> {
          assertThat(b.limit()).isNotNegative();
          assertThat(b.remaining()).isEqualTo(b.limit());
          assertThat(b.window()).isGreaterThanOrEqualTo(Duration.ZERO);
        });
  }

  /**
   * What Link yields is a target the header holds, never text from around it. And a header built
   * from any targets and any quoted title finds the rel=next target as it was sent, after a
   * rel=prev link: quoted commas and semicolons do not split a link.
   */
  @FuzzTest(maxDuration = "30s")
  void theNextLinkIsATargetTheHeaderHolds(FuzzedDataProvider data) {
    String previous = withoutAngleBrackets(data.consumeString(100));
    String sent = withoutAngleBrackets(data.consumeString(100));
    String title = data.consumeString(100).replace("\\", "\\\\").replace("\"", "\\\"");
    String header = data.consumeRemainingAsString();

    LinkHeader.next(List.of(header))
        .ifPresent(
            next -> {
              assertThat(next).doesNotContain("<", ">").isEqualTo(next.trim());
              assertThat(header).contains("<").contains(next);
            });

    String built =
        "<" + previous + ">; rel=\"prev\", <" + sent + ">; title=\"" + title + "\"; rel=\"next\"";
    assertThat(LinkHeader.next(List.of(built))).as(built).contains(sent.trim());
  }

  private static String withoutAngleBrackets(String text) {
    return text.replace("<", "").replace(">", "");
  }

  /**
   * Retry-After in seconds is exactly that many seconds from now; as a date it round-trips through
   * the HTTP-date format. Neither form throws.
   */
  @FuzzTest(maxDuration = "30s")
  void retryAfterIsSecondsFromNowOrTheDateItNames(FuzzedDataProvider data) {
    long seconds = data.consumeLong(0, 999_999_999_999L);
    long epochSecond = data.consumeLong(-2_208_988_800L, 253_402_300_799L); // years 1900 to 9999
    String text = data.consumeRemainingAsString();

    assertThat(RetryAfter.parse(" " + seconds + " ", NOW)).contains(NOW.plusSeconds(seconds));
    Instant date = Instant.ofEpochSecond(epochSecond);
    String httpDate =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            date.atZone(java.time.ZoneOffset.UTC));
    assertThat(RetryAfter.parse(httpDate, NOW)).as(httpDate).contains(date);

    Optional<Instant> parsed = RetryAfter.parse(text, NOW);
    String trimmed = text.trim();
    if (!trimmed.isEmpty()
        && trimmed.length() <= 12
        && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      assertThat(parsed).contains(NOW.plusSeconds(Long.parseLong(trimmed)));
    }
  }

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    values.forEach((k, v) -> map.put(k, List.of(v)));
    return HttpHeaders.of(map, (k, v) -> true);
  }
}
