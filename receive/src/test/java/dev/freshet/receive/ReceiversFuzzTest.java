package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
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
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.GoogleOidcToken;
import dev.freshet.receive.auth.Hmac;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.AcrReceiver;
import dev.freshet.receive.sources.ArtifactRegistryReceiver;
import dev.freshet.receive.sources.CloudEventsReceiver;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.receive.sources.DockerHubReceiver;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.receive.sources.GitHubReceiver;
import dev.freshet.receive.sources.HarborReceiver;
import dev.freshet.receive.sources.QuayReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * Every parser, on arbitrary bytes sent by an authenticated sender (so the parsing is what gets
 * exercised), either accepts or refuses with a 4xx; nothing else escapes. What it answers is
 * bounded: no more events than the body could hold, hints only from the receiver that read them,
 * reasons shortened and printable (they are answered and logged). In {@code mvn test} it replays
 * the seeds in ReceiversFuzzTestInputs; {@code fuzz/run.sh} fuzzes.
 */
class ReceiversFuzzTest {

  private static final Secret AUTH = Secret.of("Bearer fuzz");
  private static final Secret TOKEN = Secret.of("fuzz-token");
  private static final Secret HMAC = Secret.of("fuzz-secret");

  private static SeenCache cache() {
    return new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 10_000);
  }

  private final Receiver distribution = new DistributionReceiver(AUTH);
  private final Receiver acr = new AcrReceiver(AUTH);
  private final Receiver harbor = new HarborReceiver(AUTH);
  private final Receiver dockerhub = new DockerHubReceiver(TOKEN);
  private final Receiver quay = new QuayReceiver(TOKEN);
  private final Receiver github = new GitHubReceiver(HMAC, cache());
  private final Receiver cloudevents = new CloudEventsReceiver(AUTH, cache());
  private final Receiver generic = new GenericReceiver(HMAC, Clock.systemUTC(), cache());
  private final Receiver gar = GoogleIssuer.INSTANCE.receiver();

  @FuzzTest(maxDuration = "60s")
  void everyReceiverRefusesOrAcceptsArbitraryBytes(byte[] body) {
    String json = "application/json";
    check(
        distribution,
        InboundRequest.post(
            "/",
            body,
            "Content-Type",
            "application/vnd.docker.distribution.events.v1+json",
            "Authorization",
            "Bearer fuzz"));
    check(
        acr, InboundRequest.post("/", body, "Content-Type", json, "Authorization", "Bearer fuzz"));
    check(
        harbor,
        InboundRequest.post("/", body, "Content-Type", json, "Authorization", "Bearer fuzz"));
    check(
        dockerhub, InboundRequest.post("/hooks/dockerhub/fuzz-token", body, "Content-Type", json));
    check(quay, InboundRequest.post("/hooks/quay/fuzz-token", body, "Content-Type", json));
    for (String event : new String[] {"package", "registry_package"}) {
      check(
          github,
          InboundRequest.post(
              "/",
              body,
              "Content-Type",
              json,
              "X-GitHub-Event",
              event,
              "X-Hub-Signature-256",
              Hmac.signature(HMAC, body)));
    }
    check(
        cloudevents,
        InboundRequest.post(
            "/",
            body,
            "Content-Type",
            "application/cloudevents+json",
            "Authorization",
            "Bearer fuzz"));
    check(
        cloudevents,
        InboundRequest.post(
            "/",
            body,
            "Content-Type",
            json,
            "Authorization",
            "Bearer fuzz",
            "ce-specversion",
            "1.0",
            "ce-id",
            "x",
            "ce-source",
            "urn:aws:ecr:r:1:repository/x",
            "ce-type",
            "image.push"));
    long now = Instant.now().getEpochSecond();
    check(
        generic,
        InboundRequest.post(
            "/",
            body,
            "Content-Type",
            json,
            GenericSignature.TIMESTAMP_HEADER,
            Long.toString(now),
            GenericSignature.SIGNATURE_HEADER,
            GenericSignature.sign(HMAC, now, body)));
    check(
        gar,
        InboundRequest.post(
            "/", body, "Content-Type", json, "Authorization", GoogleIssuer.INSTANCE.bearer()));
  }

  /**
   * Header values are sender-controlled too: media types, signatures, timestamps, tokens in the
   * path.
   */
  @FuzzTest(maxDuration = "60s")
  void everyReceiverSurvivesArbitraryHeaders(FuzzedDataProvider data) {
    String contentType = data.consumeString(80);
    String authorization = data.consumeString(80);
    String signature = data.consumeString(80);
    String timestamp = data.consumeString(20);
    String event = data.consumeString(30);
    String path = "/hooks/x/" + data.consumeString(40);
    String ceSpec = data.consumeString(10);
    byte[] body = data.consumeRemainingAsBytes();
    for (Receiver receiver :
        new Receiver[] {
          distribution, acr, harbor, dockerhub, quay, github, cloudevents, generic, gar
        }) {
      check(
          receiver,
          InboundRequest.post(
              path,
              body,
              "Content-Type",
              contentType,
              "Authorization",
              authorization,
              "X-Hub-Signature-256",
              signature,
              "X-GitHub-Event",
              event,
              GenericSignature.TIMESTAMP_HEADER,
              timestamp,
              GenericSignature.SIGNATURE_HEADER,
              signature,
              "ce-specversion",
              ceSpec,
              "ce-id",
              event,
              "ce-source",
              authorization,
              "ce-type",
              event));
    }
  }

  /**
   * The Artifact Registry harness gets past authentication, so the fuzzer's bytes reach the
   * payload: the seed envelope becomes a hint.
   */
  @Test
  void theArtifactRegistryHarnessReachesThePayload() throws IOException {
    byte[] envelope;
    try (var seed =
        getClass()
            .getResourceAsStream(
                "ReceiversFuzzTestInputs/everyReceiverRefusesOrAcceptsArbitraryBytes/"
                    + "gar-push-envelope.json")) {
      envelope = seed.readAllBytes();
    }

    Verdict verdict =
        gar.receive(
            InboundRequest.post(
                "/",
                envelope,
                "Content-Type",
                "application/json",
                "Authorization",
                GoogleIssuer.INSTANCE.bearer()));

    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    assertThat(((Verdict.Accepted) verdict).hints())
        .extracting(ImageHint::repository, ImageHint::tag)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("p/r/app", "1.1"));
  }

  private static void check(Receiver receiver, InboundRequest request) {
    Verdict verdict = receiver.receive(request);
    assertThat(verdict.status())
        .as("%s: %s", receiver.source(), verdict)
        .satisfiesAnyOf(s -> assertThat(s).isEqualTo(202), s -> assertThat(s).isBetween(400, 499));
    if (verdict instanceof Verdict.Accepted accepted) {
      // Every event in a body takes a few bytes of JSON, so a body cannot yield more events than
      // its length; a CloudEvent in binary mode is one event in its headers.
      assertThat(accepted.hints().size() + accepted.ignored().size())
          .isLessThanOrEqualTo(request.body().length + 1);
      assertThat(accepted.hints())
          .allSatisfy(h -> assertThat(h.source()).isEqualTo(receiver.source()));
      for (Ignored ignored : accepted.ignored()) {
        assertShortAndPrintable(ignored.image());
        assertShortAndPrintable(ignored.detail());
      }
    } else if (verdict instanceof Verdict.Refused refused) {
      assertThat(refused.reason()).isNotBlank();
      assertShortAndPrintable(refused.reason());
    }
  }

  /** Sender text reaches answers and logs shortened (100 characters of it) and without controls. */
  private static void assertShortAndPrintable(String text) {
    assertThat(text.length()).as(text).isLessThanOrEqualTo(MAX_REASON);
    assertThat(text.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).as(text).isTrue();
  }

  private static final int MAX_REASON = 400;

  /**
   * Google's side of an Artifact Registry push on loopback: an RSA key made for the run, its JWKS
   * served over HTTP, and one token it signed for the receiver's audience and account, so the
   * fuzzer's bytes reach the envelope and payload parsing. Made once per JVM; the server thread
   * ends with it.
   */
  private enum GoogleIssuer {
    INSTANCE;

    private static final String AUDIENCE = "https://freshet.example.com/hooks/gar";
    private static final String EMAIL = "pubsub-push@fuzz.iam.gserviceaccount.com";

    private final URI jwks;
    private final String bearer;

    GoogleIssuer() {
      try {
        RSAKey key = new RSAKeyGenerator(2048).keyID("fuzz").generate();
        byte[] keys = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer server =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
            "/certs",
            exchange -> {
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, keys.length);
              exchange.getResponseBody().write(keys);
              exchange.close();
            });
        server.start();
        jwks = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/certs");
        Instant now = Instant.now();
        JWTClaimsSet claims =
            new JWTClaimsSet.Builder()
                .issuer("https://accounts.google.com")
                .audience(AUDIENCE)
                .subject("1")
                .claim("email", EMAIL)
                .claim("email_verified", true)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofDays(1))))
                .build();
        SignedJWT jwt =
            new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        bearer = "Bearer " + jwt.serialize();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    Receiver receiver() {
      return new ArtifactRegistryReceiver(
          new GoogleOidcToken(AUDIENCE, EMAIL, jwks, Clock.systemUTC()));
    }

    String bearer() {
      return bearer;
    }
  }
}
