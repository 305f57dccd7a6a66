package dev.freshet.testbed;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An OIDC issuer on loopback, shaped like a CI system's (GitHub Actions, GitLab): it serves the
 * discovery document ({@code /.well-known/openid-configuration}) and its keys ({@code /jwks}) over
 * the JDK's HTTP server, and signs job tokens with RS256 and a {@code kid}, as those issuers do.
 * {@link #rotate()} publishes a new key and signs with it from then on, as issuers rotate theirs.
 * Never a public issuer: tests must not depend on the network or on someone else's keys.
 */
public final class LocalOidcIssuer implements AutoCloseable {

  private final HttpServer server;
  private final List<RSAKey> published = new ArrayList<>();
  private final AtomicInteger discoveryFetches = new AtomicInteger();
  private final AtomicInteger keyFetches = new AtomicInteger();
  private volatile RSAKey signingKey;

  private LocalOidcIssuer(HttpServer server) {
    this.server = server;
  }

  /** Starts an issuer on a free loopback port with one key. */
  public static LocalOidcIssuer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalOidcIssuer issuer = new LocalOidcIssuer(server);
      issuer.rotate();
      server.createContext(
          "/.well-known/openid-configuration",
          exchange -> {
            issuer.discoveryFetches.incrementAndGet();
            reply(
                exchange,
                "{\"issuer\":\""
                    + issuer.url()
                    + "\",\"jwks_uri\":\""
                    + issuer.url()
                    + "/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
          });
      server.createContext(
          "/jwks",
          exchange -> {
            issuer.keyFetches.incrementAndGet();
            reply(exchange, issuer.jwks());
          });
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The issuer's URL: the tokens' {@code iss}, without a trailing slash. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Publishes a new key (the old ones stay published) and signs with it from now on. */
  public synchronized RSAKey rotate() {
    try {
      signingKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    published.add(signingKey);
    return signingKey;
  }

  /** The key tokens are signed with now. */
  public RSAKey signingKey() {
    return signingKey;
  }

  /** How often the discovery document and the keys were fetched. */
  public int discoveryFetches() {
    return discoveryFetches.get();
  }

  public int keyFetches() {
    return keyFetches.get();
  }

  /**
   * The claims of a typical job token for {@code audience}, valid for five minutes from now; {@code
   * claims} adds or changes some.
   */
  public JWTClaimsSet claims(String audience, Consumer<JWTClaimsSet.Builder> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(url())
            .audience(audience)
            .subject("repo:org/app:ref:refs/heads/main")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    claims.accept(builder);
    return builder.build();
  }

  /** A job token with these claims, signed with the current key. */
  public String token(String audience, Consumer<JWTClaimsSet.Builder> claims) {
    return sign(claims(audience, claims), signingKey);
  }

  /** A token with these claims signed with {@code key} (published or not) under its kid. */
  public static String sign(JWTClaimsSet claims, RSAKey key) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private synchronized String jwks() {
    return new JWKSet(published.stream().map(k -> (JWK) k.toPublicJWK()).toList()).toString();
  }

  private static void reply(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
