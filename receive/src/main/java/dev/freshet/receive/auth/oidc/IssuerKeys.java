package dev.freshet.receive.auth.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An issuer's signing keys, found as OIDC discovery says: {@code <issuer>/.well-known/openid-
 * configuration} names the {@code jwks_uri}. Nothing is fetched until the first token of the issuer
 * arrives (loading the configuration never waits on the network). Both documents are fetched with
 * short timeouts and a size cap; the keys are cached (five minutes) and fetched again when a token
 * names a key id the cache does not have — the issuer rotated its keys — but at most once per
 * {@link Settings#minRefreshInterval()}, so tokens with made-up key ids cannot make Freshet hammer
 * the issuer. A failed discovery is retried no sooner than that either.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {

  /** Timeouts, size cap and refresh interval; the defaults suit public CI issuers. */
  record Settings(Duration timeout, int maxBytes, Duration cacheFor, Duration minRefreshInterval) {
    static final Settings DEFAULT =
        new Settings(
            Duration.ofSeconds(3), 256 * 1024, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  private final URI issuer;
  private final Settings settings;
  private final ResourceRetriever retriever;
  private final Clock clock;
  private JWKSource<SecurityContext> keys;
  private Instant lastFailure = Instant.MIN;
  private String lastProblem = "";

  IssuerKeys(URI issuer, Settings settings, Clock clock) {
    this.issuer = issuer;
    this.settings = settings;
    this.clock = clock;
    int timeout = (int) settings.timeout().toMillis();
    this.retriever = new DefaultResourceRetriever(timeout, timeout, settings.maxBytes());
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    return keys().get(selector, context);
  }

  private synchronized JWKSource<SecurityContext> keys() throws KeySourceException {
    if (keys != null) {
      return keys;
    }
    Instant now = clock.instant();
    if (lastFailure.plus(settings.minRefreshInterval()).isAfter(now)) {
      throw new KeySourceException(
          lastProblem
              + " (not retried before "
              + lastFailure.plus(settings.minRefreshInterval())
              + ")");
    }
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(discover().toURL(), retriever)
              .cache(settings.cacheFor().toMillis(), settings.timeout().toMillis())
              .rateLimited(settings.minRefreshInterval().toMillis())
              .retrying(false)
              .refreshAheadCache(false)
              .build();
      return keys;
    } catch (IOException | IllegalArgumentException e) {
      lastFailure = now;
      lastProblem = "discovery of " + issuer + " failed: " + e.getMessage();
      throw new KeySourceException(lastProblem, e);
    }
  }

  /** The {@code jwks_uri} of the discovery document, checked as the issuer's URL is. */
  private URI discover() throws IOException {
    String base = issuer.toString();
    URI where = URI.create(base + "/.well-known/openid-configuration");
    Resource document = retriever.retrieveResource(where.toURL());
    Map<String, Object> json;
    try {
      json = JSONObjectUtils.parse(document.getContent());
    } catch (ParseException e) {
      throw new IOException(where + " is not a JSON object");
    }
    Object named = json.get("issuer");
    if (!base.equals(named)) {
      // OIDC Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
      throw new IOException(where + " names issuer " + named + ", not " + base);
    }
    if (!(json.get("jwks_uri") instanceof String jwks)) {
      throw new IOException(where + " has no jwks_uri");
    }
    URI uri;
    try {
      uri = new URI(jwks);
    } catch (URISyntaxException e) {
      throw new IOException("jwks_uri is not a URL: " + jwks);
    }
    OidcIssuer.requireSafe(uri, "jwks_uri");
    return uri;
  }
}
