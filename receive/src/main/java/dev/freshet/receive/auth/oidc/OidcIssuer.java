package dev.freshet.receive.auth.oidc;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An issuer on the allow-list: its URL (the tokens' {@code iss}, and where its discovery document
 * is), the audience its tokens must carry for Freshet, and its rules.
 */
public record OidcIssuer(URI issuer, String audience, List<ClaimRule> rules) {

  public OidcIssuer {
    requireSafe(issuer, "issuer");
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("audience must not be empty");
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("an issuer needs at least one rule");
    }
    rules = List.copyOf(rules);
  }

  /** The URL as it appears in the tokens' {@code iss}. */
  public String name() {
    return issuer.toString();
  }

  /** True if a rule matching the token's claims allows the image. */
  public boolean allows(
      Map<String, Object> claims, String registry, String repository, String tag) {
    return rules.stream()
        .anyMatch(rule -> rule.matches(claims) && rule.allows(registry, repository, tag));
  }

  /**
   * Issuers and their keys are fetched over HTTPS: over plain HTTP anyone on the path could hand
   * Freshet their own keys. Plain HTTP is accepted on loopback only, for local issuers in tests.
   */
  static void requireSafe(URI uri, String what) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          what + " must be an https URL without user, query or fragment, not " + uri);
    }
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && isLoopback(uri.getHost())) {
      return;
    }
    throw new IllegalArgumentException(
        what + " must be https (plain http only on loopback), not " + uri);
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]");
  }
}
