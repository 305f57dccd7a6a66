package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryListener;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 429 with Retry-After: no request reaches the registry before the deadline. Fake registry: the
 * testbed's docker-registry 2.8.2 has no rate limiting and cannot be told to answer 429. The checks
 * use the times the fake server recorded, never how fast we are.
 */
class RetryAfterTest {
  private static final String DIGEST = Manifests.digestOf(Manifests.OCI_MANIFEST);

  private static Reply ok() {
    return Reply.status(200).header("Docker-Content-Digest", DIGEST);
  }

  @Test
  void waitsOutAShortRetryAfterInSecondsThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                calls.incrementAndGet() == 1
                    ? Reply.status(429).header("Retry-After", "1")
                    : ok())) {
      Resolver resolver = Resolver.builder().maxInlineWait(Duration.ofSeconds(5)).build();

      ResolvedImage resolved =
          resolver.resolve(
              ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty());

      assertThat(resolved.digest().toString()).isEqualTo(DIGEST);
      assertThat(registry.requests()).hasSize(2);
      assertThat(registry.requests().get(1).arrivedAt())
          .isAfterOrEqualTo(registry.answeredAt(0).plusSeconds(1));
    }
  }

  @Test
  void obeysAnHttpDateRetryAfter() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Instant> deadlines = new CopyOnWriteArrayList<>();
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> {
              if (calls.incrementAndGet() > 1) {
                return ok();
              }
              // HTTP dates have whole seconds: the next whole second plus one.
              Instant deadline = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
              deadlines.add(deadline);
              return Reply.status(429)
                  .header(
                      "Retry-After",
                      DateTimeFormatter.RFC_1123_DATE_TIME.format(deadline.atZone(ZoneOffset.UTC)));
            })) {
      Resolver resolver = Resolver.builder().maxInlineWait(Duration.ofSeconds(5)).build();

      resolver.resolve(ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty());

      assertThat(registry.requests()).hasSize(2);
      assertThat(registry.requests().get(1).arrivedAt()).isAfterOrEqualTo(deadlines.get(0));
    }
  }

  @Test
  void aLongRetryAfterFailsFastAndHoldsBackEveryLaterCallToThatRegistry() throws Exception {
    List<Instant> throttledUntil = new CopyOnWriteArrayList<>();
    try (FakeRegistry registry =
        FakeRegistry.start(request -> Reply.status(429).header("Retry-After", "3600"))) {
      Resolver resolver =
          Resolver.builder()
              .listener(
                  new RegistryListener() {
                    @Override
                    public void onThrottled(String r, Instant until) {
                      throttledUntil.add(until);
                    }
                  })
              .build();
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");
      Instant before = Instant.now();

      assertThatThrownBy(() -> resolver.resolve(ref, Optional.empty()))
          .isInstanceOfSatisfying(
              RateLimitedException.class,
              e -> {
                assertThat(e.retryAt()).isAfterOrEqualTo(before.plusSeconds(3600));
                assertThat(e.reason()).isEqualTo("RateLimited");
                assertThat(e.isTransient()).isTrue();
              });
      assertThatThrownBy(() -> resolver.resolve(ref.withTag("v2"), Optional.empty()))
          .isInstanceOf(RateLimitedException.class);

      assertThat(registry.requests()).hasSize(1);
      assertThat(throttledUntil).hasSize(1);
    }
  }

  @Test
  void a503WithRetryAfterIsADeadlineToo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                calls.incrementAndGet() == 1
                    ? Reply.status(503).header("Retry-After", "1")
                    : ok())) {
      Resolver resolver = Resolver.builder().backoff(Duration.ZERO, Duration.ZERO).build();

      resolver.resolve(ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty());

      assertThat(registry.requests().get(1).arrivedAt())
          .isAfterOrEqualTo(registry.answeredAt(0).plusSeconds(1));
    }
  }
}
