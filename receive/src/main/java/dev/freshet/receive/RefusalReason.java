package dev.freshet.receive;

/**
 * Why a request was refused, where the status alone does not say it: each has a stable {@link
 * #label()} for the {@code reason} label of {@code freshet_webhook_refused_total}, so that an
 * expired token and a forged one are told apart on a dashboard: the pipeline (OIDC) refusals of the
 * generic form, and the endpoint's own limits, which protect it from floods whatever the source.
 */
public enum RefusalReason {
  TOKEN_MALFORMED("token-malformed", "the bearer token is not a well-formed JWT"),
  TOKEN_ALGORITHM(
      "token-algorithm",
      "the token is unsigned (alg none) or signed with an algorithm not accepted (such as HS256)"),
  TOKEN_SIGNATURE(
      "token-signature", "the token's signature does not verify against the issuer's keys"),
  TOKEN_ISSUER("token-issuer", "the token's issuer is not on the allow-list"),
  TOKEN_AUDIENCE("token-audience", "the token is not meant for this audience"),
  TOKEN_EXPIRED("token-expired", "the token has expired (or has no expiry)"),
  TOKEN_NOT_YET_VALID("token-not-yet-valid", "the token's nbf lies in the future"),
  ISSUER_UNAVAILABLE(
      "issuer-unavailable", "the issuer's discovery document or keys could not be fetched"),
  IMAGE_NOT_ALLOWED(
      "image-not-allowed", "a valid token, but no rule of its issuer lets it announce the image"),
  OIDC_NOT_ENABLED(
      "oidc-not-enabled", "a bearer token was sent, but no valid oidc configuration is loaded"),
  RATE_LIMITED(
      "rate-limited",
      "more requests from one client address than its rate allows; answered 429 with Retry-After"),
  BUSY(
      "busy",
      "the bodies being read at once already fill the endpoint's memory budget; answered 429 with"
          + " Retry-After"),
  HEADERS_TOO_LARGE(
      "headers-too-large", "the request line and headers are larger than the endpoint reads"),
  MALFORMED_REQUEST(
      "malformed-request", "the request line or headers are not HTTP/1.1 the endpoint can parse");

  private final String label;
  private final String words;

  RefusalReason(String label, String words) {
    this.label = label;
    this.words = words;
  }

  /** The value of the {@code reason} metric label. */
  public String label() {
    return label;
  }

  /** What it means, in words. */
  public String words() {
    return words;
  }
}
