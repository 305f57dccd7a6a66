package dev.freshet.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.MutableClock;
import dev.freshet.registry.UnauthorizedException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Token responses in the shapes token services send. Fake token service: none runs here, and the
 * shapes (access_token, missing expires_in) differ between real ones.
 */
class TokenServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
  private final HttpClient http = HttpClient.newHttpClient();

  private TokenService service(boolean plainHttpAllowed) {
    return new TokenService(
        http, new MutableClock(NOW), Duration.ofSeconds(5), uri -> plainHttpAllowed);
  }

  @Test
  void acceptsTheOAuthNameAndAssumesSixtySecondsWithoutExpiresIn() throws Exception {
    try (FakeRegistry tokens =
        FakeRegistry.start(request -> Reply.json(200, "{\"access_token\":\"abc\"}"))) {
      TokenService.Token token =
          service(true)
              .fetch("r", tokens.url("/token"), "svc", "repository:a:pull", Optional.empty());

      assertThat(token.value()).isEqualTo("abc");
      assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(60).minusSeconds(6));
    }
  }

  @Test
  void keepsALongLivedTokenUntilThirtySecondsBeforeItExpires() throws Exception {
    try (FakeRegistry tokens =
        FakeRegistry.start(request -> Reply.json(200, "{\"token\":\"t\",\"expires_in\":3600}"))) {
      TokenService.Token token =
          service(true).fetch("r", tokens.url("/token"), null, null, Optional.empty());

      assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(3600 - 30));
    }
  }

  @Test
  void aResponseWithoutATokenIsInvalid() throws Exception {
    try (FakeRegistry tokens = FakeRegistry.start(request -> Reply.json(200, "{\"nothing\":1}"))) {
      assertThatThrownBy(
              () -> service(true).fetch("r", tokens.url("/token"), null, null, Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("sent no token");
    }
  }

  @Test
  void neverSendsCredentialsToAPlainHttpRealmElsewhere() {
    assertThatThrownBy(
            () ->
                service(false)
                    .fetch(
                        "r",
                        "http://auth.example.com/token",
                        null,
                        null,
                        Optional.of(new Credential("u", "p"))))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("refusing to send credentials");
  }
}
