package dev.freshet.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.UnreachableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fetches bearer tokens from the realm a registry names in its challenge (Docker's token
 * authentication spec: {@code GET realm?service=…&scope=…}, Basic credentials if we have any).
 */
public final class TokenService {
  /** Assumed when the token service names no lifetime (the spec's default). */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final Predicate<URI> plainHttpAllowed;

  /**
   * @param plainHttpAllowed whether a realm on plain http may receive credentials (loopback or a
   *     registry configured as insecure)
   */
  public TokenService(
      HttpClient http, Clock clock, Duration timeout, Predicate<URI> plainHttpAllowed) {
    this.http = http;
    this.clock = clock;
    this.timeout = timeout;
    this.plainHttpAllowed = plainHttpAllowed;
  }

  public record Token(String value, Instant expiresAt) {}

  public Token fetch(
      String registry,
      String realm,
      String service,
      String scope,
      Optional<Credential> credential) {
    URI uri = tokenUri(registry, realm, service, scope);
    if (credential.isPresent()
        && !"https".equalsIgnoreCase(uri.getScheme())
        && !plainHttpAllowed.test(uri)) {
      throw new UnauthorizedException(
          registry, "token realm " + realm + " is not https; refusing to send credentials there");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    credential.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
    Instant requestedAt = clock.instant();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UnreachableException(registry, "token service " + realm + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(registry, "interrupted while fetching a token", e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new UnauthorizedException(
          registry,
          "token service "
              + realm
              + " refused "
              + credential.map(c -> "the credentials of " + c.username()).orElse("anonymous access")
              + " for "
              + scope
              + " (HTTP "
              + status
              + ")");
    }
    if (status >= 500) {
      throw new UnreachableException(
          registry, "token service " + realm + " answered HTTP " + status);
    }
    if (status != 200 || response.body().length > MAX_BODY) {
      throw new InvalidResponseException(
          registry,
          "token service " + realm + " answered HTTP " + status + " with no usable token");
    }
    return parse(registry, realm, response.body(), requestedAt);
  }

  private static URI tokenUri(String registry, String realm, String service, String scope) {
    StringBuilder query = new StringBuilder();
    if (service != null) {
      query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    if (scope != null) {
      query.append(query.length() > 0 ? "&" : "");
      query.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }
    try {
      URI base = URI.create(realm);
      if (base.getScheme() == null || base.getHost() == null) {
        throw new IllegalArgumentException("not absolute");
      }
      String separator = realm.contains("?") ? "&" : "?";
      return URI.create(query.length() == 0 ? realm : realm + separator + query);
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(registry, "challenge names an unusable realm: " + realm);
    }
  }

  private Token parse(String registry, String realm, byte[] body, Instant requestedAt) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidResponseException(registry, "token service " + realm + " sent no JSON");
    }
    String token = textOf(json, "token");
    if (token == null) {
      token = textOf(json, "access_token"); // the OAuth2 name, which some services use instead
    }
    if (token == null || token.isEmpty()) {
      throw new InvalidResponseException(registry, "token service " + realm + " sent no token");
    }
    Duration lifetime = DEFAULT_LIFETIME;
    JsonNode expiresIn = json == null ? null : json.get("expires_in");
    if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
      lifetime = Duration.ofSeconds(expiresIn.asLong());
    }
    // Counted from when we asked, minus a margin, so a token never expires on its way to the
    // registry.
    Duration margin =
        lifetime.dividedBy(10).compareTo(Duration.ofSeconds(30)) > 0
            ? Duration.ofSeconds(30)
            : lifetime.dividedBy(10);
    return new Token(token, requestedAt.plus(lifetime).minus(margin));
  }

  private static String textOf(JsonNode json, String field) {
    JsonNode value = json == null ? null : json.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
