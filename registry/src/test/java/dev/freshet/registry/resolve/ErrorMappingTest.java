package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.UnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every answer becomes a typed error the operator can put into a condition. Fake registry: a real
 * one answers 403, 400 or 429 only in situations we cannot stage here.
 */
class ErrorMappingTest {
  @ParameterizedTest(name = "HTTP {0} → {1}")
  @CsvSource({
    "400, InvalidResponse, false",
    "401, Unauthorized, false",
    "403, Unauthorized, false",
    "404, NotFound, false",
    "405, InvalidResponse, false",
    "500, Unreachable, true",
    "502, Unreachable, true",
    "429, RateLimited, true",
  })
  void eachStatusHasItsType(int status, String reason, boolean transientError) throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(
                        status,
                        "{\"errors\":[{\"code\":\"CODE_"
                            + status
                            + "\",\"message\":\"said the registry\"}]}")
                    .header("Retry-After", status == 429 ? "600" : "x"))) {
      Resolver resolver =
          Resolver.builder().backoff(Duration.ZERO, Duration.ZERO).maxAttempts(2).build();

      assertThatThrownBy(
              () ->
                  resolver.manifest(
                      ImageReference.parse(registry.host() + "/team/app:v1"),
                      Optional.empty(),
                      dev.freshet.registry.Priority.ESSENTIAL))
          .isInstanceOfSatisfying(
              RegistryException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.isTransient()).isEqualTo(transientError);
                assertThat(e.registry()).isEqualTo(registry.host());
              });
    }
  }

  /** A GET's error body is read (capped) for the message; a HEAD has none to give. */
  @Test
  void theRegistrysOwnErrorTextReachesTheMessage() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(
                    403,
                    "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"))) {
      assertThatThrownBy(
              () ->
                  Resolver.builder()
                      .build()
                      .manifest(
                          ImageReference.parse(registry.host() + "/team/app:v1"),
                          Optional.empty(),
                          dev.freshet.registry.Priority.BACKGROUND))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessageContaining("answered 403")
          .hasMessageContaining("DENIED requested access to the resource is denied");
    }
  }

  @Test
  void a429WithoutRetryAfterHoldsOffForTheDefault() throws Exception {
    try (FakeRegistry registry = FakeRegistry.start(request -> Reply.status(429))) {
      Resolver resolver = Resolver.builder().defaultRetryAfter(Duration.ofMinutes(5)).build();
      Instant before = Instant.now();

      assertThatThrownBy(
              () ->
                  resolver.resolve(
                      ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOfSatisfying(
              RateLimitedException.class,
              e -> assertThat(e.retryAt()).isAfterOrEqualTo(before.plus(Duration.ofMinutes(5))));
      assertThat(registry.requests()).hasSize(1);
    }
  }

  @Test
  void typesAreDistinct() {
    assertThat(new NotFoundException("r", "m")).isNotInstanceOf(UnreachableException.class);
    assertThat(new InvalidResponseException("r", "m").reason()).isEqualTo("InvalidResponse");
  }
}
