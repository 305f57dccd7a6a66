package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.MutableClock;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.auth.Credential;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bearer-token challenge (Docker's token authentication). Fake registry plus token service: the
 * testbed's registries use htpasswd (Basic) only; distribution's token mode needs a token issuer
 * that is not packaged here, and no real part could show us which credential each token came from.
 */
class BearerAuthTest {
  private static final Credential ALICE = new Credential("alice", "alice-pw");
  private static final Credential BOB = new Credential("bob", "bob-pw");

  private final Map<String, String> tokenOwners = new ConcurrentHashMap<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private FakeRegistry registry;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    registry = FakeRegistry.start(this::handle);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Reply handle(FakeRegistry.Request request) {
    if (request.path().equals("/token")) {
      String authorization = request.header("Authorization");
      String owner = "anonymous";
      if (authorization != null) {
        owner =
            authorization.equals(ALICE.basicAuthorization())
                ? "alice"
                : authorization.equals(BOB.basicAuthorization()) ? "bob" : null;
      }
      if (owner == null) {
        return Reply.json(401, "{\"details\":\"bad credentials\"}");
      }
      String token = "token-" + tokensIssued.incrementAndGet();
      tokenOwners.put(token, owner);
      return Reply.json(200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }
    String authorization = request.header("Authorization");
    if (authorization == null
        || !authorization.startsWith("Bearer ")
        || !tokenOwners.containsKey(authorization.substring(7))) {
      return Reply.json(
              401,
              "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
          .header(
              "WWW-Authenticate",
              "Bearer realm=\""
                  + registry.url("/token")
                  + "\",service=\"fake\",scope=\"repository:team/app:pull\"");
    }
    return Reply.status(200)
        .header("Docker-Content-Digest", Manifests.digestOf(Manifests.OCI_MANIFEST))
        .header("Content-Type", MediaTypes.OCI_MANIFEST);
  }

  private Resolver resolver() {
    return Resolver.builder().clock(clock).build();
  }

  private ImageReference app() {
    return ImageReference.parse(registry.host() + "/team/app:v1");
  }

  @Test
  void answersTheChallengeWithATokenFetchedWithBasicCredentials() {
    ResolvedImage resolved = resolver().resolve(app(), Optional.of(ALICE));

    assertThat(resolved.digest().toString()).isEqualTo(Manifests.digestOf(Manifests.OCI_MANIFEST));
    FakeRegistry.Request tokenRequest = registry.requests("/token").get(0);
    assertThat(tokenRequest.header("Authorization")).isEqualTo(ALICE.basicAuthorization());
    assertThat(tokenRequest.uri().getRawQuery())
        .isEqualTo("service=fake&scope=repository%3Ateam%2Fapp%3Apull");
  }

  @Test
  void anonymousTokensAreFetchedWithoutCredentials() {
    resolver().resolve(app(), Optional.empty());

    assertThat(registry.requests("/token").get(0).header("Authorization")).isNull();
  }

  @Test
  void reusesTheTokenUntilItExpires() {
    Resolver resolver = resolver();

    resolver.resolve(app(), Optional.of(ALICE));
    resolver.resolve(app(), Optional.of(ALICE));
    assertThat(registry.requests("/token")).hasSize(1);
    // the second resolve went straight in with the cached token, without a 401 first
    assertThat(registry.requests("/v2/")).hasSize(3);

    clock.advance(Duration.ofSeconds(300));
    resolver.resolve(app(), Optional.of(ALICE));
    assertThat(registry.requests("/token")).hasSize(2);
  }

  @Test
  void neverSharesATokenBetweenCredentials() {
    Resolver resolver = resolver();

    resolver.resolve(app(), Optional.of(ALICE));
    resolver.resolve(app(), Optional.of(BOB));
    resolver.resolve(app(), Optional.empty());

    assertThat(registry.requests("/token"))
        .extracting(r -> r.header("Authorization"))
        .containsExactly(ALICE.basicAuthorization(), BOB.basicAuthorization(), null);
    assertThat(
            registry.requests("/v2/").stream()
                .map(r -> r.header("Authorization"))
                .filter(h -> h != null)
                .map(h -> tokenOwners.get(h.substring(7))))
        .containsExactly("alice", "bob", "anonymous");
  }

  @Test
  void refusedCredentialsAreATypedUnauthorizedError() {
    assertThatThrownBy(() -> resolver().resolve(app(), Optional.of(new Credential("mallory", "x"))))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("mallory")
        .satisfies(e -> assertThat(((UnauthorizedException) e).reason()).isEqualTo("Unauthorized"));
  }
}
