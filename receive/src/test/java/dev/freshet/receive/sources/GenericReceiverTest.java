package dev.freshet.receive.sources;

import static dev.freshet.receive.sources.ReceiverAssertions.hints;
import static dev.freshet.receive.sources.ReceiverAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GenericReceiverTest {

  private static final Secret SECRET = Secret.of("ci-shared-secret");
  private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
  private static final String DIGEST = "sha256:" + "c".repeat(64);

  private final GenericReceiver receiver =
      new GenericReceiver(
          SECRET,
          Clock.fixed(NOW, ZoneOffset.UTC),
          new SeenCache(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(11), 1000));

  private static InboundRequest signed(String json, long timestamp, Secret secret) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return InboundRequest.post(
        "/hooks/generic",
        body,
        "Content-Type",
        "application/json",
        "X-Freshet-Timestamp",
        Long.toString(timestamp),
        "X-Freshet-Signature",
        GenericSignature.sign(secret, timestamp, body));
  }

  @Test
  void aSignedEventBecomesAHint() {
    var verdict =
        receiver.receive(
            signed(
                "{\"image\":\"127.0.0.1:5000/demo/app\",\"tag\":\"dev\",\"digest\":\""
                    + DIGEST
                    + "\"}",
                NOW.getEpochSecond(),
                SECRET));

    assertThat(hints(verdict))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.key()).isEqualTo(new ImageHint.Key("127.0.0.1:5000", "demo/app", "dev"));
              assertThat(h.digest()).contains(DIGEST);
              assertThat(h.source()).isEqualTo("generic");
            });
  }

  @Test
  void timestampsOutsideTheWindowAreRefused() {
    String json = "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}";
    refused(receiver.receive(signed(json, NOW.minusSeconds(301).getEpochSecond(), SECRET)), 401);
    refused(receiver.receive(signed(json, NOW.plusSeconds(301).getEpochSecond(), SECRET)), 401);
    assertThat(
            hints(receiver.receive(signed(json, NOW.minusSeconds(299).getEpochSecond(), SECRET))))
        .hasSize(1);
  }

  @Test
  void aSignatureIsAcceptedOnce() {
    InboundRequest request =
        signed("{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}", NOW.getEpochSecond(), SECRET);
    assertThat(hints(receiver.receive(request))).hasSize(1);
    assertThat(refused(receiver.receive(request), 401).reason()).contains("replay");
  }

  @Test
  void theSignatureCoversTimestampAndBody() {
    byte[] body =
        "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}".getBytes(StandardCharsets.UTF_8);
    long ts = NOW.getEpochSecond();
    String signature = GenericSignature.sign(SECRET, ts, body);

    refused(
        receiver.receive(
            InboundRequest.post(
                "/",
                body,
                "Content-Type",
                "application/json",
                "X-Freshet-Timestamp",
                Long.toString(ts + 1),
                "X-Freshet-Signature",
                signature)),
        401);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/",
                "{\"image\":\"ghcr.io/org/evil\",\"tag\":\"dev\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json",
                "X-Freshet-Timestamp",
                Long.toString(ts),
                "X-Freshet-Signature",
                signature)),
        401);
    refused(
        receiver.receive(
            signed("{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}", ts, Secret.of("x"))),
        401);
    refused(
        receiver.receive(InboundRequest.post("/", body, "Content-Type", "application/json")), 401);
  }

  @Test
  void unusableContentIsABadRequest() {
    long ts = NOW.getEpochSecond();
    refused(
        receiver.receive(signed("{\"image\":\"ghcr.io/Org/App\",\"tag\":\"dev\"}", ts, SECRET)),
        400);
    refused(
        receiver.receive(
            signed(
                "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\",\"digest\":\"sha256:abc123\"}",
                ts + 1,
                SECRET)),
        400);
    refused(receiver.receive(signed("{\"image\":\"ghcr.io/org/app\"}", ts + 2, SECRET)), 400);
    refused(receiver.receive(signed("not json", ts + 3, SECRET)), 400);
  }

  @Test
  void onlyAuthenticRequestsUseUpTheReplayCache() {
    // A forged request with a copied signature header must not block the real one.
    byte[] body =
        "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}".getBytes(StandardCharsets.UTF_8);
    long ts = NOW.getEpochSecond();
    String signature = GenericSignature.sign(SECRET, ts, body);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/",
                "{}".getBytes(),
                "Content-Type",
                "application/json",
                "X-Freshet-Timestamp",
                Long.toString(ts),
                "X-Freshet-Signature",
                signature)),
        401);
    assertThat(
            hints(
                receiver.receive(
                    InboundRequest.post(
                        "/",
                        body,
                        "Content-Type",
                        "application/json",
                        "X-Freshet-Timestamp",
                        Long.toString(ts),
                        "X-Freshet-Signature",
                        signature))))
        .hasSize(1);
  }
}
