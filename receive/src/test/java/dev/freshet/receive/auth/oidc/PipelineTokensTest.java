package dev.freshet.receive.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.RefusalReason;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.testbed.LocalOidcIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generic form with a CI job's OIDC token, against a real issuer on loopback ({@link
 * LocalOidcIssuer}: discovery document, JWKS, RS256 tokens): a token whose claims a rule matches
 * may announce that rule's images; every other token is refused with a status and a reason that say
 * why.
 */
class PipelineTokensTest {

  private static final String AUDIENCE = "freshet";
  private static final String IMAGE = "registry.example.com/org/app";
  private static final byte[] BODY =
      ("{\"image\":\"" + IMAGE + "\",\"tag\":\"dev\"}").getBytes(StandardCharsets.UTF_8);

  private final LocalOidcIssuer issuer = LocalOidcIssuer.start();
  private final GenericReceiver receiver = receiver(IssuerKeys.Settings.DEFAULT, Optional.empty());

  @AfterEach
  void stopIssuer() {
    issuer.close();
  }

  private GenericReceiver receiver(IssuerKeys.Settings settings, Optional<Secret> hmac) {
    String policy =
        """
        issuers:
          - issuer: %s
            audience: %s
            rules:
              - claims: {repository: org/app, ref: refs/heads/main}
                images: ["registry.example.com/org/app:*"]
        """
            .formatted(issuer.url(), AUDIENCE);
    return new GenericReceiver(
        hmac,
        Optional.of(new PipelineTokens(OidcPolicy.parse(policy), settings, Clock.systemUTC())),
        Clock.systemUTC(),
        new SeenCache(Clock.systemUTC(), Duration.ofMinutes(15), 1000));
  }

  private String token(Consumer<JWTClaimsSet.Builder> claims) {
    return issuer.token(
        AUDIENCE,
        c -> {
          c.claim("repository", "org/app").claim("ref", "refs/heads/main");
          claims.accept(c);
        });
  }

  private static InboundRequest request(String token, byte[] body) {
    return InboundRequest.post(
        "/hooks/generic",
        body,
        "Content-Type",
        "application/json",
        "Authorization",
        "Bearer " + token);
  }

  private Verdict.Refused refused(String token, int status, RefusalReason why) {
    Verdict verdict = receiver.receive(request(token, BODY));
    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    Verdict.Refused refused = (Verdict.Refused) verdict;
    assertThat(refused.status()).as(refused.reason()).isEqualTo(status);
    assertThat(refused.why()).as(refused.reason()).contains(why);
    return refused;
  }

  @Test
  void aTokenWhoseClaimsARuleMatchesAnnouncesTheRulesImage() {
    Verdict verdict = receiver.receive(request(token(c -> {}), BODY));

    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    assertThat(((Verdict.Accepted) verdict).hints())
        .singleElement()
        .satisfies(
            hint -> {
              assertThat(hint.reference()).isEqualTo(IMAGE + ":dev");
              assertThat(hint.deliveryId()).isEqualTo("oidc:repo:org/app:ref:refs/heads/main");
            });
  }

  @Test
  void aValidTokenForAnImageNoRuleAllowsIsForbidden() {
    byte[] other =
        "{\"image\":\"registry.example.com/org/other\",\"tag\":\"dev\"}"
            .getBytes(StandardCharsets.UTF_8);
    Verdict verdict = receiver.receive(request(token(c -> {}), other));

    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    Verdict.Refused refused = (Verdict.Refused) verdict;
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.why()).contains(RefusalReason.IMAGE_NOT_ALLOWED);
    assertThat(refused.reason()).contains("registry.example.com/org/other:dev");
  }

  @Test
  void aTokenOfAnotherBranchIsForbiddenTheSameImage() {
    refused(token(c -> c.claim("ref", "refs/heads/feature")), 403, RefusalReason.IMAGE_NOT_ALLOWED);
    refused(token(c -> c.claim("repository", null)), 403, RefusalReason.IMAGE_NOT_ALLOWED);
  }

  @Test
  void anExpiredTokenIsRefused() {
    Instant twoMinutesAgo = Instant.now().minus(Duration.ofMinutes(2));
    refused(
        token(c -> c.expirationTime(Date.from(twoMinutesAgo))), 401, RefusalReason.TOKEN_EXPIRED);
    refused(token(c -> c.expirationTime(null)), 401, RefusalReason.TOKEN_EXPIRED);
  }

  @Test
  void clocksMayDisagreeByAMinute() {
    Instant halfAMinuteAgo = Instant.now().minus(Duration.ofSeconds(30));
    Verdict verdict =
        receiver.receive(request(token(c -> c.expirationTime(Date.from(halfAMinuteAgo))), BODY));
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);

    Instant inTwoMinutes = Instant.now().plus(Duration.ofMinutes(2));
    refused(
        token(c -> c.notBeforeTime(Date.from(inTwoMinutes))),
        401,
        RefusalReason.TOKEN_NOT_YET_VALID);
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    refused(
        issuer.token("https://someone-else.example.com", c -> c.claim("repository", "org/app")),
        401,
        RefusalReason.TOKEN_AUDIENCE);
  }

  @Test
  void aTokenOfAnIssuerNotOnTheListIsRefused() {
    refused(
        token(c -> c.issuer("https://token.actions.githubusercontent.com")),
        401,
        RefusalReason.TOKEN_ISSUER);
    refused(token(c -> c.issuer(null)), 401, RefusalReason.TOKEN_ISSUER);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String none =
        new PlainJWT(issuer.claims(AUDIENCE, c -> c.claim("repository", "org/app"))).serialize();
    Verdict.Refused refused = refused(none, 401, RefusalReason.TOKEN_ALGORITHM);
    assertThat(refused.reason()).contains("alg: none");
  }

  /**
   * The classic confusion: HS256 "signed" with the issuer's public key as the HMAC secret, under
   * the published kid. A verifier that let the token choose the algorithm would accept it.
   */
  @Test
  void anHmacTokenSignedWithThePublicKeyIsRefused() throws Exception {
    RSAKey published = issuer.signingKey();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
            issuer.claims(
                AUDIENCE, c -> c.claim("repository", "org/app").claim("ref", "refs/heads/main")));
    forged.sign(new MACSigner(published.toPublicJWK().toRSAPublicKey().getEncoded()));

    Verdict.Refused refused = refused(forged.serialize(), 401, RefusalReason.TOKEN_ALGORITHM);
    assertThat(refused.reason()).contains("HS256");
  }

  @Test
  void aTokenSignedWithAnotherKeyUnderThePublishedKidIsRefused() throws Exception {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(issuer.signingKey().getKeyID()).generate();
    String forged =
        LocalOidcIssuer.sign(
            issuer.claims(
                AUDIENCE, c -> c.claim("repository", "org/app").claim("ref", "refs/heads/main")),
            impostor);

    refused(forged, 401, RefusalReason.TOKEN_SIGNATURE);
  }

  @Test
  void aTokenWhoseClaimsWereChangedAfterSigningIsRefused() {
    String[] parts = token(c -> c.claim("repository", "org/other")).split("\\.");
    String changed =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                issuer
                    .claims(
                        AUDIENCE,
                        c -> c.claim("repository", "org/app").claim("ref", "refs/heads/main"))
                    .toString()
                    .getBytes(StandardCharsets.UTF_8));

    refused(parts[0] + "." + changed + "." + parts[2], 401, RefusalReason.TOKEN_SIGNATURE);
  }

  @Test
  void aMalformedTokenIsRefused() {
    refused("not-a-jwt", 401, RefusalReason.TOKEN_MALFORMED);
    refused("a.b.c", 401, RefusalReason.TOKEN_MALFORMED);
    refused("", 401, RefusalReason.TOKEN_MALFORMED);
  }

  @Test
  void theKeysAreFetchedOnceAndCached() {
    receiver.receive(request(token(c -> {}), BODY));
    receiver.receive(request(token(c -> {}), BODY));

    assertThat(issuer.discoveryFetches()).isEqualTo(1);
    assertThat(issuer.keyFetches()).isEqualTo(1);
  }

  @Test
  void aRotatedKeyIsPickedUpWhenATokenNamesItsKid() {
    assertThat(receiver.receive(request(token(c -> {}), BODY)))
        .isInstanceOf(Verdict.Accepted.class);

    issuer.rotate();
    Verdict afterRotation = receiver.receive(request(token(c -> {}), BODY));

    assertThat(afterRotation).isInstanceOf(Verdict.Accepted.class);
    assertThat(issuer.keyFetches()).isEqualTo(2);
    assertThat(issuer.discoveryFetches()).isEqualTo(1);
  }

  @Test
  void tokensWithMadeUpKidsDoNotMakeFreshetHammerTheIssuer() throws Exception {
    receiver.receive(request(token(c -> {}), BODY));
    RSAKey stranger = new RSAKeyGenerator(2048).generate();
    java.util.Set<Optional<RefusalReason>> reasons = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      RSAKey madeUp = new RSAKey.Builder(stranger).keyID(UUID.randomUUID().toString()).build();
      Verdict verdict =
          receiver.receive(
              request(
                  LocalOidcIssuer.sign(
                      issuer.claims(AUDIENCE, c -> c.claim("repository", "org/app")), madeUp),
                  BODY));
      assertThat(verdict.status()).isEqualTo(401);
      reasons.add(((Verdict.Refused) verdict).why());
    }

    // One refresh for the first unknown kid; the rest fall within the 30 s rate limit.
    assertThat(issuer.keyFetches()).isEqualTo(2);
    assertThat(reasons).containsOnly(Optional.of(RefusalReason.TOKEN_SIGNATURE));
  }

  @Test
  void withoutATokenTheHmacFormStillWorksWhenItsSecretIsSet() {
    Secret secret = Secret.of("pipeline-secret");
    GenericReceiver both = receiver(IssuerKeys.Settings.DEFAULT, Optional.of(secret));
    long now = Instant.now().getEpochSecond();

    Verdict signed =
        both.receive(
            InboundRequest.post(
                "/hooks/generic",
                BODY,
                "Content-Type",
                "application/json",
                GenericSignature.TIMESTAMP_HEADER,
                Long.toString(now),
                GenericSignature.SIGNATURE_HEADER,
                GenericSignature.sign(secret, now, BODY)));
    Verdict bare =
        receiver.receive(
            InboundRequest.post("/hooks/generic", BODY, "Content-Type", "application/json"));

    assertThat(signed).isInstanceOf(Verdict.Accepted.class);
    assertThat(bare.status()).isEqualTo(401);
    assertThat(((Verdict.Refused) bare).reason()).contains("Bearer");
  }

  @Test
  void anIssuerThatCannotBeReachedIsReportedAsSuch() {
    issuer.close();
    refused(token(c -> {}), 401, RefusalReason.ISSUER_UNAVAILABLE);
  }

  /**
   * An issuer whose key set is larger than the cap, or whose discovery document names another
   * issuer, is not trusted: tokens are refused as unverifiable, and the answer says why.
   */
  @Test
  void keysLargerThanTheCapOrADiscoveryNamingAnotherIssuerAreRefused() throws Exception {
    com.sun.net.httpserver.HttpServer odd =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    String url = "http://127.0.0.1:" + odd.getAddress().getPort();
    byte[] discovery =
        ("{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] huge = ("{\"keys\":[]}" + " ".repeat(8192)).getBytes(StandardCharsets.UTF_8);
    odd.createContext("/.well-known/openid-configuration", e -> reply(e, discovery));
    odd.createContext("/jwks", e -> reply(e, huge));
    odd.start();
    try {
      String policy =
          "issuers: [{issuer: '"
              + url
              + "', audience: freshet, rules: [{claims: {repository: org/app}, images:"
              + " ['registry.example.com/org/app:*']}]}]";
      var capped =
          new PipelineTokens(
              OidcPolicy.parse(policy),
              new IssuerKeys.Settings(
                  Duration.ofSeconds(2), 1024, Duration.ofMinutes(5), Duration.ZERO),
              Clock.systemUTC());
      String token =
          LocalOidcIssuer.sign(
              issuer.claims(AUDIENCE, c -> c.issuer(url).claim("repository", "org/app")),
              issuer.signingKey());

      assertThatRefusal(() -> capped.verify(token), RefusalReason.ISSUER_UNAVAILABLE, "1024");

      // The local issuer's discovery names itself; listed under another URL it is not trusted.
      String elsewhere = issuer.url().replace("127.0.0.1", "localhost");
      var misnamed =
          new PipelineTokens(
              OidcPolicy.parse(policy.replace(url, elsewhere)),
              IssuerKeys.Settings.DEFAULT,
              Clock.systemUTC());
      String forElsewhere =
          LocalOidcIssuer.sign(
              issuer.claims(AUDIENCE, c -> c.issuer(elsewhere).claim("repository", "org/app")),
              issuer.signingKey());
      assertThatRefusal(
          () -> misnamed.verify(forElsewhere), RefusalReason.ISSUER_UNAVAILABLE, "names issuer");
    } finally {
      odd.stop(0);
    }
  }

  private static void assertThatRefusal(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RefusalReason why, String says) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call)
        .isInstanceOf(dev.freshet.receive.Refusal.class)
        .hasMessageContaining(says)
        .satisfies(e -> assertThat(((dev.freshet.receive.Refusal) e).why()).contains(why));
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, byte[] body)
      throws java.io.IOException {
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void aHintIsOnlyAHint() {
    // The digest of the notification is passed on as a hint, never trusted: the operator asks
    // the registry. Here: it is carried, unchanged, for the operator to compare.
    String digest = "sha256:" + "a".repeat(64);
    byte[] body =
        ("{\"image\":\"" + IMAGE + "\",\"tag\":\"dev\",\"digest\":\"" + digest + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    Verdict verdict = receiver.receive(request(token(c -> {}), body));
    assertThat(((Verdict.Accepted) verdict).hints())
        .extracting(ImageHint::digest)
        .containsExactly(Optional.of(digest));
  }
}
