package dev.freshet.registry.auth;

import dev.freshet.registry.UnauthorizedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the {@code Authorization} header for a registry request: none, Basic, or a bearer token
 * obtained by answering the registry's challenge. Remembers each registry's last challenge so later
 * requests carry a cached token at once instead of collecting a 401 first.
 */
public final class Authenticator {
  private static final String ANONYMOUS = "anonymous";

  private final TokenService tokens;
  private final TokenCache cache;
  private final Map<String, Challenge> lastChallenge = new ConcurrentHashMap<>();

  public Authenticator(TokenService tokens, TokenCache cache) {
    this.tokens = tokens;
    this.cache = cache;
  }

  /** The header to send before any challenge, if this registry's way of auth is already known. */
  public Optional<String> preemptive(
      String registry, String scope, Optional<Credential> credential) {
    Challenge known = lastChallenge.get(registry);
    if (known == null) {
      return Optional.empty();
    }
    if (known.isBasic()) {
      return credential.map(Credential::basicAuthorization);
    }
    return cache.get(key(registry, known, scope, credential)).map(token -> "Bearer " + token);
  }

  /**
   * Answers a 401's challenges and returns the header to retry with.
   *
   * @throws UnauthorizedException when the registry wants credentials we do not have, or refuses
   *     ours
   */
  public String answer(
      String registry, List<Challenge> challenges, String scope, Optional<Credential> credential) {
    Optional<Challenge> bearer = challenges.stream().filter(Challenge::isBearer).findFirst();
    if (bearer.isPresent() && bearer.get().param("realm").isPresent()) {
      Challenge challenge = bearer.get();
      lastChallenge.put(registry, challenge);
      TokenCache.Key key = key(registry, challenge, scope, credential);
      Optional<String> cached = cache.get(key);
      if (cached.isPresent()) {
        return "Bearer " + cached.get();
      }
      TokenService.Token token =
          tokens.fetch(
              registry,
              challenge.param("realm").get(),
              challenge.param("service").orElse(null),
              challenge.param("scope").orElse(scope),
              credential);
      cache.put(key, token.value(), token.expiresAt());
      return "Bearer " + token.value();
    }
    Optional<Challenge> basic = challenges.stream().filter(Challenge::isBasic).findFirst();
    if (basic.isPresent()) {
      lastChallenge.put(registry, basic.get());
      return credential
          .map(Credential::basicAuthorization)
          .orElseThrow(
              () ->
                  new UnauthorizedException(
                      registry,
                      registry + " requires credentials (Basic auth) and none were given"));
    }
    throw new UnauthorizedException(
        registry, registry + " answered 401 without a challenge we can answer: " + challenges);
  }

  private static TokenCache.Key key(
      String registry, Challenge challenge, String scope, Optional<Credential> credential) {
    return new TokenCache.Key(
        registry,
        challenge.param("realm").orElse(""),
        challenge.param("service").orElse(""),
        scope,
        credential.map(Credential::fingerprint).orElse(ANONYMOUS));
  }
}
