package dev.freshet.receive.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.RefusalReason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a signed JWT against an issuer's keys, the one way for every OIDC token Freshet accepts
 * (Google's Pub/Sub push tokens, CI pipelines' job tokens): well-formed, signed (never {@code alg:
 * none}), with an accepted asymmetric algorithm (so an HS256 token "signed" with the issuer's
 * public key as HMAC secret is refused before any key is looked at), a signature that verifies
 * against a key of the issuer, not expired and already valid within {@link #CLOCK_SKEW}, for the
 * expected audience. Each failure is a 401 that names it, with a stable {@link RefusalReason}. The
 * issuer itself and any further claims are the caller's to check.
 */
public final class JwtVerification {

  /** How far the sender's and Freshet's clocks may disagree on {@code exp} and {@code nbf}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** The algorithms of CI and Google issuers' keys; all asymmetric. */
  public static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Clock clock;

  public JwtVerification(
      JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms, Clock clock) {
    if (algorithms.isEmpty()
        || algorithms.stream().anyMatch(a -> JWSAlgorithm.Family.HMAC_SHA.contains(a))) {
      throw new IllegalArgumentException("only asymmetric algorithms verify an issuer's token");
    }
    this.algorithms = Set.copyOf(algorithms);
    this.clock = clock;
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(this.algorithms, keys));
    // The claims are checked in verify(), one by one, so that each refusal says which was wrong.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
  }

  /**
   * The token of an {@code Authorization: Bearer <JWT>} header, or a 401 saying what is missing.
   */
  public static String bearer(InboundRequest request, String missing) throws Refusal {
    String header =
        request.header("Authorization").orElseThrow(() -> Refusal.unauthorized(missing));
    if (!isBearer(header)) {
      throw Refusal.unauthorized("Authorization is not a Bearer token");
    }
    return header.substring(7).trim();
  }

  /** True if the header value is a bearer token. */
  public static boolean isBearer(String authorization) {
    return authorization.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** The claims of a token whose issuer is not yet verified: only to choose the issuer's keys. */
  public static String unverifiedIssuer(String token) throws Refusal {
    try {
      String issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
      if (issuer == null || issuer.isBlank()) {
        throw Refusal.unauthorized(RefusalReason.TOKEN_ISSUER, "the token names no issuer (iss)");
      }
      return issuer;
    } catch (ParseException e) {
      throw malformed();
    }
  }

  /**
   * The verified claims of {@code token}, meant for {@code audience}.
   *
   * @throws Refusal 401 naming the first check that failed
   */
  public JWTClaimsSet verify(String token, String audience) throws Refusal {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw malformed();
    }
    if (jwt instanceof PlainJWT) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_ALGORITHM, "the token is unsigned (alg: none)");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_MALFORMED, "the token is encrypted, not a signed JWT");
    }
    JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
    if (!algorithms.contains(algorithm)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_ALGORITHM,
          "the token is signed with "
              + algorithm
              + "; accepted: "
              + algorithms.stream()
                  .map(JWSAlgorithm::getName)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (RateLimitReachedException e) {
      // The keys were fetched moments ago and have no such kid: a made-up or retired key id.
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_SIGNATURE,
          "no key of the issuer has kid "
              + signed.getHeader().getKeyID()
              + " (its keys were fetched moments ago)");
    } catch (KeySourceException e) {
      throw Refusal.unauthorized(
          RefusalReason.ISSUER_UNAVAILABLE,
          "the token could not be verified: the issuer's keys are unavailable ("
              + e.getMessage()
              + ")");
    } catch (BadJWSException e) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_SIGNATURE, "the token's signature does not verify");
    } catch (BadJOSEException e) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_SIGNATURE,
          "no key of the issuer verifies the token (kid "
              + signed.getHeader().getKeyID()
              + ", "
              + algorithm
              + ")");
    } catch (JOSEException e) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_SIGNATURE,
          "the token's signature could not be checked: " + e.getMessage());
    }
    checkTimes(claims);
    List<String> audiences = claims.getAudience();
    if (audiences == null || !audiences.contains(audience)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_AUDIENCE,
          "token audience " + audiences + " is not the configured audience");
    }
    return claims;
  }

  private void checkTimes(JWTClaimsSet claims) throws Refusal {
    Instant now = clock.instant();
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw Refusal.unauthorized(RefusalReason.TOKEN_EXPIRED, "the token has no expiry (exp)");
    }
    if (expiry.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_EXPIRED, "the token expired at " + expiry.toInstant());
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && notBefore.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw Refusal.unauthorized(
          RefusalReason.TOKEN_NOT_YET_VALID,
          "the token is not valid before " + notBefore.toInstant() + " (check the clocks)");
    }
  }

  private static Refusal malformed() {
    return Refusal.unauthorized(
        RefusalReason.TOKEN_MALFORMED, "the bearer token is not a well-formed JWT");
  }
}
