package dev.freshet.receive.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.RefusalReason;
import dev.freshet.receive.auth.JwtVerification;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a CI job's OIDC token against the {@link OidcPolicy}: its issuer must be on the list (the
 * token's own {@code iss} only chooses whose keys to check it with), then {@link JwtVerification}
 * checks signature, algorithm, times and audience. What the verified pipeline may announce is asked
 * of {@link Pipeline#requireAllowed}.
 */
public final class PipelineTokens {

  private final OidcPolicy policy;
  private final Map<String, JwtVerification> verifications = new LinkedHashMap<>();

  public PipelineTokens(OidcPolicy policy, Clock clock) {
    this(policy, IssuerKeys.Settings.DEFAULT, clock);
  }

  PipelineTokens(OidcPolicy policy, IssuerKeys.Settings settings, Clock clock) {
    this.policy = policy;
    for (OidcIssuer issuer : policy.issuers()) {
      verifications.put(
          issuer.name(),
          new JwtVerification(
              new IssuerKeys(issuer.issuer(), settings, clock), JwtVerification.ASYMMETRIC, clock));
    }
  }

  /**
   * The pipeline a token proves.
   *
   * @throws Refusal 401 naming what is wrong with the token
   */
  public Pipeline verify(String token) throws Refusal {
    String iss = JwtVerification.unverifiedIssuer(token);
    OidcIssuer issuer =
        policy
            .issuer(iss)
            .orElseThrow(
                () ->
                    Refusal.unauthorized(
                        RefusalReason.TOKEN_ISSUER,
                        "token issuer '" + abbreviate(iss) + "' is not on the allow-list"));
    JWTClaimsSet claims = verifications.get(issuer.name()).verify(token, issuer.audience());
    return new Pipeline(issuer, claims.getClaims());
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  /** A verified token: its issuer and claims. */
  public record Pipeline(OidcIssuer issuer, Map<String, Object> claims) {

    /** The token's subject, for logs and delivery ids. */
    public String subject() {
      Object sub = claims.get("sub");
      return sub == null ? "?" : sub.toString();
    }

    /**
     * @throws Refusal 403 when no rule of the issuer matching the token lets it announce the image
     */
    public void requireAllowed(String registry, String repository, String tag) throws Refusal {
      if (!issuer.allows(claims, registry, repository, tag)) {
        throw Refusal.forbidden(
            RefusalReason.IMAGE_NOT_ALLOWED,
            "the pipeline "
                + abbreviate(subject())
                + " of "
                + issuer.name()
                + " may not announce "
                + registry
                + "/"
                + repository
                + ":"
                + tag
                + " (no rule of the oidc policy allows it)");
      }
    }
  }
}
