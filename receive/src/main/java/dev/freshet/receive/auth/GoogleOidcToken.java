package dev.freshet.receive.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.RefusalReason;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code Authorization: Bearer <JWT>} that Pub/Sub push subscriptions with authentication send:
 * an OIDC ID token signed by Google for a service account. Every part is checked, because a valid
 * signature alone only proves that <em>some</em> Google account, anyone's, asked for a token: the
 * RS256 signature against the issuer's published keys (JWKS), the issuer, the expiry, the audience
 * (the value set on the subscription) and the service account's {@code email}, which must be
 * verified ({@code email_verified}). Audience and email are required configuration, not defaults.
 *
 * <p>The token itself is checked by {@link JwtVerification}, as pipelines' tokens are. The keys are
 * fetched from the JWKS URL when first needed and cached (nimbus-jose-jwt's defaults: five minutes,
 * refetched at most every 30 s when an unknown key id appears), with short HTTP timeouts, so a
 * request waits for the issuer at most rarely and briefly.
 */
public final class GoogleOidcToken {

  /** Google's published signing keys for its ID tokens. */
  public static final URI GOOGLE_JWKS = URI.create("https://www.googleapis.com/oauth2/v3/certs");

  /** Google writes its issuer both ways. */
  private static final Set<String> GOOGLE_ISSUERS =
      Set.of("https://accounts.google.com", "accounts.google.com");

  private final String audience;
  private final String email;
  private final JwtVerification verification;

  /**
   * @param audience the audience configured on the push subscription (by default its endpoint URL)
   * @param email the service account the subscription pushes as
   * @param jwks where the issuer's keys are: {@link #GOOGLE_JWKS}, or a local issuer in tests
   */
  public GoogleOidcToken(String audience, String email, URI jwks, Clock clock) {
    this.audience = requireNonBlank(audience, "audience");
    this.email = requireNonBlank(email, "email");
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(jwks.toURL())
              .retrying(false)
              .refreshAheadCache(false)
              .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a JWKS URL: " + jwks, e);
    }
    verification = new JwtVerification(keys, Set.of(JWSAlgorithm.RS256), clock);
  }

  /** Checks the request's bearer token; a 401 says what was wrong with it. */
  public void check(InboundRequest request) throws Refusal {
    String token =
        JwtVerification.bearer(
            request,
            "missing Authorization header: Pub/Sub push subscriptions must be created"
                + " with authentication (--push-auth-service-account)");
    JWTClaimsSet claims = verification.verify(token, audience);
    String issuer = claims.getIssuer();
    if (!GOOGLE_ISSUERS.contains(issuer)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_ISSUER, "token issuer '" + issuer + "' is not accounts.google.com");
    }
    Object presentedEmail = claims.getClaim("email");
    if (!email.equals(presentedEmail)) {
      throw Refusal.unauthorized(
          "token email '" + presentedEmail + "' is not the configured service account");
    }
    if (!Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
      throw Refusal.unauthorized("token email is not verified (email_verified is not true)");
    }
  }

  private static String requireNonBlank(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
