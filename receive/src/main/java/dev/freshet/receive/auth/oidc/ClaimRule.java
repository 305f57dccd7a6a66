package dev.freshet.receive.auth.oidc;

import java.util.List;
import java.util.Map;

/**
 * One rule of an issuer: a token whose claims include every listed claim with exactly the listed
 * value may announce the listed images. Values are compared as strings, with no globs: a claim such
 * as {@code repository} or {@code ref} names exactly one pipeline, and a pattern there would be one
 * typo away from admitting strangers' pipelines (every GitHub repository gets tokens from the same
 * issuer). Only string, number and boolean claims match; a list or an object never does.
 */
public record ClaimRule(Map<String, String> claims, List<ImagePattern> images) {

  public ClaimRule {
    if (claims.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one claim");
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one image");
    }
    claims = Map.copyOf(claims);
    images = List.copyOf(images);
  }

  /** True if every claim of the rule is in {@code token} with the same value. */
  public boolean matches(Map<String, Object> token) {
    return claims.entrySet().stream()
        .allMatch(wanted -> wanted.getValue().equals(scalar(token.get(wanted.getKey()))));
  }

  /** True if the rule lets a matching token announce the image. */
  public boolean allows(String registry, String repository, String tag) {
    return images.stream().anyMatch(p -> p.matches(registry, repository, tag));
  }

  private static String scalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? value.toString()
        : null;
  }
}
