package dev.freshet.receive.sources;

import static dev.freshet.receive.sources.ReceiverAssertions.hints;
import static dev.freshet.receive.sources.ReceiverAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.GoogleOidcToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Google Artifact Registry notifications through a Pub/Sub push subscription, authenticated by the
 * push request's Google-signed OIDC token. The issuer here is a real one on loopback: an RSA key
 * generated for the test, its public half served as a JWKS over HTTP, tokens signed with it.
 *
 * <p>Payload: https://cloud.google.com/artifact-registry/docs/configure-notifications (the {@code
 * gcr} topic; {@code action}, {@code digest} and {@code tag} as full references). Envelope and
 * token: https://cloud.google.com/pubsub/docs/push and
 * https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions ({@code iss}
 * accounts.google.com, {@code aud}, {@code email}, {@code email_verified}).
 */
class ArtifactRegistryReceiverTest {

  private static final String AUDIENCE = "https://freshet.example.com/hooks/gar";
  private static final String EMAIL = "pubsub-push@my-project.iam.gserviceaccount.com";
  private static final String DIGEST =
      "sha256:6ec128e26cd5e1e2b8a8d0f7b3b9d3c3f2c6c5d2a0b1e8f7d6c5b4a392817060";
  private static final String DATA =
      "{\"action\":\"INSERT\",\"digest\":\"us-east1-docker.pkg.dev/my-project/my-repo/hello-world@"
          + DIGEST
          + "\",\"tag\":\"us-east1-docker.pkg.dev/my-project/my-repo/hello-world:1.1\"}";

  private static HttpServer issuer;
  private static RSAKey signingKey;
  private static RSAKey unpublishedKey;
  private static final AtomicInteger jwksFetches = new AtomicInteger();
  private static ArtifactRegistryReceiver receiver;

  @BeforeAll
  static void startIssuer() throws IOException, JOSEException {
    signingKey = new RSAKeyGenerator(2048).keyID("published").generate();
    unpublishedKey = new RSAKeyGenerator(2048).keyID("unpublished").generate();
    byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer.createContext(
        "/oauth2/v3/certs",
        exchange -> {
          jwksFetches.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    issuer.start();
    receiver =
        new ArtifactRegistryReceiver(
            new GoogleOidcToken(AUDIENCE, EMAIL, jwksUrl(), Clock.systemUTC()));
  }

  @AfterAll
  static void stopIssuer() {
    issuer.stop(0);
  }

  private static URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/oauth2/v3/certs");
  }

  @Test
  void aPushSignedByTheIssuerForTheConfiguredAudienceAndAccountBecomesAHint() throws Exception {
    Verdict verdict = receiver.receive(push(envelope(DATA), token(claims -> {})));

    assertThat(hints(verdict))
        .containsExactly(
            new ImageHint(
                "us-east1-docker.pkg.dev",
                "my-project/my-repo/hello-world",
                "1.1",
                Optional.of(DIGEST),
                "2070443601311540",
                "gar"));
  }

  @Test
  void theKeysAreFetchedOnceAndCached() throws Exception {
    receiver.receive(push(envelope(DATA), token(claims -> {})));
    int fetched = jwksFetches.get();

    receiver.receive(push(envelope(DATA), token(claims -> {})));

    assertThat(fetched).isPositive();
    assertThat(jwksFetches.get()).isEqualTo(fetched);
  }

  @Test
  void theWrongAudienceIsRefused() throws Exception {
    var refusal =
        refused(
            receiver.receive(
                push(envelope(DATA), token(c -> c.audience("https://elsewhere.example.com")))),
            401);
    assertThat(refusal.reason()).contains("audience");
  }

  @Test
  void anotherServiceAccountIsRefused() throws Exception {
    var refusal =
        refused(
            receiver.receive(
                push(
                    envelope(DATA),
                    token(c -> c.claim("email", "attacker@evil-project.iam.gserviceaccount.com")))),
            401);
    assertThat(refusal.reason()).contains("email").contains("not the configured service account");
  }

  @Test
  void anUnverifiedEmailIsRefused() throws Exception {
    var refusal =
        refused(
            receiver.receive(push(envelope(DATA), token(c -> c.claim("email_verified", false)))),
            401);
    assertThat(refusal.reason()).contains("not verified");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
    var refusal =
        refused(
            receiver.receive(
                push(
                    envelope(DATA),
                    token(
                        c ->
                            c.issueTime(Date.from(anHourAgo.minus(Duration.ofHours(1))))
                                .expirationTime(Date.from(anHourAgo))))),
            401);
    assertThat(refusal.reason()).containsIgnoringCase("expired");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() throws Exception {
    var refusal =
        refused(
            receiver.receive(
                push(
                    envelope(DATA),
                    token(c -> c.issuer("https://token.actions.githubusercontent.com")))),
            401);
    assertThat(refusal.reason()).contains("issuer");
  }

  @Test
  void aTamperedSignatureIsRefused() throws Exception {
    String jwt = token(c -> {});
    String[] parts = jwt.split("\\.");
    String otherClaims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                claims(c -> c.claim("email", "attacker@evil-project.iam.gserviceaccount.com"))
                    .toString()
                    .getBytes(StandardCharsets.UTF_8));
    var refusal =
        refused(
            receiver.receive(push(envelope(DATA), parts[0] + "." + otherClaims + "." + parts[2])),
            401);
    assertThat(refusal.reason()).containsIgnoringCase("signature");
  }

  @Test
  void aTokenSignedWithAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
    var refusal =
        refused(receiver.receive(push(envelope(DATA), sign(unpublishedKey, claims(c -> {})))), 401);
    assertThat(refusal.reason()).containsIgnoringCase("key");
  }

  @Test
  void aPushWithoutAuthorizationIsRefused() {
    var refusal =
        refused(
            receiver.receive(
                InboundRequest.post(
                    "/hooks/gar", envelope(DATA), "Content-Type", "application/json")),
            401);
    assertThat(refusal.reason()).contains("missing Authorization");
  }

  @Test
  void somethingOtherThanABearerJwtIsRefused() {
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/gar",
                envelope(DATA),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer not-a-jwt")),
        401);
  }

  @Test
  void aDeletionAndAPushByDigestAreAcceptedAndSayWhyNothingFollows() throws Exception {
    String delete =
        "{\"action\":\"DELETE\",\"digest\":\"us-east1-docker.pkg.dev/my-project/my-repo/hello-world@"
            + DIGEST
            + "\"}";
    String byDigest =
        "{\"action\":\"INSERT\",\"digest\":\"us-east1-docker.pkg.dev/my-project/my-repo/hello-world@"
            + DIGEST
            + "\"}";

    assertThat(ignoredReasons(receiver.receive(push(envelope(delete), token(c -> {})))))
        .containsExactly(IgnoreReason.NOT_A_PUSH);
    assertThat(ignoredReasons(receiver.receive(push(envelope(byDigest), token(c -> {})))))
        .containsExactly(IgnoreReason.UNTAGGED);
  }

  @Test
  void anUnwrappedMessageIsReadAsTheNotificationItself() throws Exception {
    assertThat(hints(receiver.receive(push(DATA.getBytes(StandardCharsets.UTF_8), token(c -> {})))))
        .singleElement()
        .satisfies(
            h ->
                assertThat(h.reference())
                    .isEqualTo("us-east1-docker.pkg.dev/my-project/my-repo/hello-world:1.1"));
  }

  static java.util.List<IgnoreReason> ignoredReasons(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    return ((Verdict.Accepted) verdict).ignored().stream().map(i -> i.reason()).toList();
  }

  /** The Pub/Sub push envelope around an Artifact Registry message. */
  private static byte[] envelope(String data) {
    return ("{\"message\":{\"attributes\":{},\"data\":\""
            + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
            + "\",\"messageId\":\"2070443601311540\",\"publishTime\":\"2021-02-26T19:13:55.749Z\"},"
            + "\"subscription\":\"projects/my-project/subscriptions/freshet\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static InboundRequest push(byte[] body, String jwt) {
    return InboundRequest.post(
        "/hooks/gar", body, "Content-Type", "application/json", "Authorization", "Bearer " + jwt);
  }

  /** The claims Pub/Sub's token carries, changed by {@code change}. */
  private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("https://accounts.google.com")
            .audience(AUDIENCE)
            .subject("113774264463038321964")
            .claim("azp", "113774264463038321964")
            .claim("email", EMAIL)
            .claim("email_verified", true)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    change.accept(claims);
    return claims.build();
  }

  private static String token(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
    return sign(signingKey, claims(change));
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
