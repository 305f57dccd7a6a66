package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Hmac;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.AcrReceiver;
import dev.freshet.receive.sources.CloudEventsReceiver;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.receive.sources.DockerHubReceiver;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.receive.sources.GitHubReceiver;
import dev.freshet.receive.sources.HarborReceiver;
import dev.freshet.receive.sources.QuayReceiver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Every parser, on arbitrary bytes sent by an authenticated sender (so the parsing is what gets
 * exercised), either accepts or refuses with a 4xx; nothing else escapes. In {@code mvn test} it
 * replays the seeds in ReceiversFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
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
        new Receiver[] {distribution, acr, harbor, dockerhub, quay, github, cloudevents, generic}) {
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

  private static void check(Receiver receiver, InboundRequest request) {
    Verdict verdict = receiver.receive(request);
    assertThat(verdict.status())
        .as("%s: %s", receiver.source(), verdict)
        .satisfiesAnyOf(s -> assertThat(s).isEqualTo(202), s -> assertThat(s).isBetween(400, 499));
  }
}
