package dev.freshet.receive.sources;

import static dev.freshet.receive.Samples.doc;
import static dev.freshet.receive.sources.ReceiverAssertions.hints;
import static dev.freshet.receive.sources.ReceiverAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Hmac;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each receiver on the sample payload of its provider's documentation. */
class DocSamplesTest {

  private static final Secret AUTH = Secret.of("Bearer s3cret-token");
  private static final String GITHUB_SECRET = "It's a Secret to Everybody";

  private static SeenCache cache() {
    return new SeenCache(Clock.systemUTC(), Duration.ofHours(1), 1000);
  }

  @Test
  void distributionEnvelopeYieldsTheManifestPushAndSkipsTheBlob() {
    var receiver = new DistributionReceiver(AUTH);
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/distribution",
                doc("distribution-envelope.json"),
                "Content-Type",
                "application/vnd.docker.distribution.events.v1+json",
                "Authorization",
                "Bearer s3cret-token"));

    assertThat(hints(verdict))
        .containsExactly(
            new ImageHint(
                "registrycluster.local",
                "library/test",
                "latest",
                Optional.of(
                    "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf"),
                "asdf-asdf-asdf-asdf-0",
                "distribution"));
    assertThat(((Verdict.Accepted) verdict).skipped())
        .singleElement()
        .asString()
        .contains("not a manifest");
  }

  @Test
  void distributionAcceptsTheV3MediaTypeAndPlainJson() {
    var receiver = new DistributionReceiver(AUTH);
    for (String type :
        new String[] {
          "application/vnd.docker.distribution.events.v2+json", "application/json; charset=utf-8"
        }) {
      assertThat(
              hints(
                  receiver.receive(
                      InboundRequest.post(
                          "/",
                          doc("distribution-envelope.json"),
                          "Content-Type",
                          type,
                          "Authorization",
                          "Bearer s3cret-token"))))
          .hasSize(1);
    }
  }

  @Test
  void distributionRefusesWithoutTheConfiguredHeader() {
    var receiver = new DistributionReceiver(AUTH);
    byte[] body = doc("distribution-envelope.json");
    String type = "application/vnd.docker.distribution.events.v1+json";

    refused(receiver.receive(InboundRequest.post("/", body, "Content-Type", type)), 401);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/", body, "Content-Type", type, "Authorization", "Bearer s3cret-tokem")),
        401);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/", body, "Content-Type", "text/plain", "Authorization", "Bearer s3cret-token")),
        415);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/",
                "{\"events\": 1}".getBytes(),
                "Content-Type",
                type,
                "Authorization",
                "Bearer s3cret-token")),
        400);
  }

  @Test
  void dockerHubNamesRepositoryAndTagButNoDigest() {
    var receiver = new DockerHubReceiver(Secret.of("t0ken"));
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/dockerhub/t0ken",
                doc("dockerhub.json"),
                "Content-Type",
                "application/json"));

    assertThat(hints(verdict))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.registry()).isEqualTo("docker.io");
              assertThat(h.repository()).isEqualTo("svendowideit/testhook");
              assertThat(h.tag()).isEqualTo("latest");
              assertThat(h.digest()).isEmpty();
            });
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/dockerhub/t0kem",
                doc("dockerhub.json"),
                "Content-Type",
                "application/json")),
        401);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/dockerhub/", doc("dockerhub.json"), "Content-Type", "application/json")),
        401);
  }

  @Test
  void quayYieldsOneHintPerUpdatedTag() {
    var receiver = new QuayReceiver(Secret.of("t0ken"));
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/quay/t0ken",
                doc("quay-repo-push.json"),
                "Content-Type",
                "application/json"));

    assertThat(hints(verdict))
        .extracting(ImageHint::reference)
        .containsExactly("quay.io/dgangaia/test:latest");
  }

  @Test
  void harborPushArtifactNamesHostFromTheResourceUrl() {
    var receiver = new HarborReceiver(AUTH);
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/harbor",
                doc("harbor-push-artifact.json"),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret-token"));

    assertThat(hints(verdict))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.reference()).isEqualTo("hub.harbor.com/test-webhook/debian:latest");
              assertThat(h.digest())
                  .contains(
                      "sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8");
            });
  }

  @Test
  void harborIgnoresOtherEventTypes() {
    var receiver = new HarborReceiver(AUTH);
    byte[] pull =
        new String(doc("harbor-push-artifact.json"))
            .replace("PUSH_ARTIFACT", "PULL_ARTIFACT")
            .getBytes();
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/harbor",
                pull,
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret-token"));
    assertThat(hints(verdict)).isEmpty();
  }

  @Test
  void acrDocsSampleWithItsElidedDigestIsSkippedNotTagged() {
    var receiver = new AcrReceiver(AUTH);
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/acr",
                doc("acr-push.json"),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret-token"));

    assertThat(hints(verdict)).isEmpty();
    assertThat(((Verdict.Accepted) verdict).skipped())
        .singleElement()
        .asString()
        .contains("malformed digest");
  }

  @Test
  void githubPackageEventIsVerifiedAndLowerCased() {
    var receiver = new GitHubReceiver(Secret.of(GITHUB_SECRET), cache());
    byte[] body = doc("github-package-published.json");
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/github",
                body,
                "Content-Type",
                "application/json",
                "X-GitHub-Event",
                "package",
                "X-GitHub-Delivery",
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "X-Hub-Signature-256",
                Hmac.signature(Secret.of(GITHUB_SECRET), body)));

    assertThat(hints(verdict))
        .containsExactly(
            new ImageHint(
                "ghcr.io",
                "octo-org/hello-world",
                "v1.4.0",
                Optional.of(
                    "sha256:0c2f1bd5e6d9fd72f2b1f4e5c53fd4ec23bbdc3b1bc4e1a1f1d84bba0e1ae0b0"),
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "github"));
  }

  @Test
  void githubDropsARepeatedDelivery() {
    var receiver = new GitHubReceiver(Secret.of(GITHUB_SECRET), cache());
    byte[] body = doc("github-package-published.json");
    String[] headers = {
      "Content-Type",
      "application/json",
      "X-GitHub-Event",
      "package",
      "X-GitHub-Delivery",
      "d-1",
      "X-Hub-Signature-256",
      Hmac.signature(Secret.of(GITHUB_SECRET), body)
    };

    assertThat(hints(receiver.receive(InboundRequest.post("/hooks/github", body, headers))))
        .hasSize(1);
    assertThat(hints(receiver.receive(InboundRequest.post("/hooks/github", body, headers))))
        .isEmpty();
  }

  @Test
  void githubRefusesBadOrMissingSignatures() {
    var receiver = new GitHubReceiver(Secret.of(GITHUB_SECRET), cache());
    byte[] body = doc("github-package-published.json");

    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/github",
                body,
                "Content-Type",
                "application/json",
                "X-GitHub-Event",
                "package")),
        401);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/github",
                body,
                "Content-Type",
                "application/json",
                "X-GitHub-Event",
                "package",
                "X-Hub-Signature-256",
                Hmac.signature(Secret.of("other"), body))),
        401);
  }

  @Test
  void githubPingAndUntaggedPlatformManifestsYieldNothing() {
    var receiver = new GitHubReceiver(Secret.of(GITHUB_SECRET), cache());
    byte[] untagged =
        new String(doc("github-package-published.json"))
            .replace("\"name\": \"v1.4.0\"", "\"name\": \"\"")
            .getBytes();
    Secret secret = Secret.of(GITHUB_SECRET);

    assertThat(
            hints(
                receiver.receive(
                    InboundRequest.post(
                        "/hooks/github",
                        untagged,
                        "Content-Type",
                        "application/json",
                        "X-GitHub-Event",
                        "package",
                        "X-Hub-Signature-256",
                        Hmac.signature(secret, untagged)))))
        .isEmpty();
    byte[] ping = "{\"zen\":\"Keep it logically awesome.\"}".getBytes();
    assertThat(
            hints(
                receiver.receive(
                    InboundRequest.post(
                        "/hooks/github",
                        ping,
                        "Content-Type",
                        "application/json",
                        "X-GitHub-Event",
                        "ping",
                        "X-Hub-Signature-256",
                        Hmac.signature(secret, ping)))))
        .isEmpty();
  }

  @Test
  void cloudEventsStructuredEcrPush() {
    var receiver = new CloudEventsReceiver(AUTH, cache());
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/cloudevents",
                doc("cloudevents-ecr.json"),
                "Content-Type",
                "application/cloudevents+json",
                "Authorization",
                "Bearer s3cret-token"));

    assertThat(hints(verdict))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.reference())
                  .isEqualTo(
                      "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest");
              assertThat(h.digest())
                  .contains(
                      "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd");
            });
  }

  @Test
  void cloudEventsBinaryModeReadsAttributesFromHeaders() {
    var receiver = new CloudEventsReceiver(AUTH, cache());
    byte[] data =
        "{\"registry\":\"registry.example.com\",\"repository\":\"team/app\",\"tag\":\"2.0.1\"}"
            .getBytes();
    Verdict verdict =
        receiver.receive(
            InboundRequest.post(
                "/hooks/cloudevents",
                data,
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret-token",
                "ce-specversion",
                "1.0",
                "ce-id",
                "evt-1",
                "ce-source",
                "https://ci.example.com",
                "ce-type",
                "com.example.image.pushed"));

    assertThat(hints(verdict))
        .extracting(ImageHint::reference)
        .containsExactly("registry.example.com/team/app:2.0.1");
    // The same source and id again is a repeat.
    assertThat(
            hints(
                receiver.receive(
                    InboundRequest.post(
                        "/hooks/cloudevents",
                        data,
                        "Content-Type",
                        "application/json",
                        "Authorization",
                        "Bearer s3cret-token",
                        "ce-specversion",
                        "1.0",
                        "ce-id",
                        "evt-1",
                        "ce-source",
                        "https://ci.example.com",
                        "ce-type",
                        "com.example.image.pushed"))))
        .isEmpty();
  }

  @Test
  void cloudEventsWithoutAttributesOrInBatchModeAreRefused() {
    var receiver = new CloudEventsReceiver(AUTH, cache());
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/cloudevents",
                "{}".getBytes(),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret-token")),
        415);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/cloudevents",
                "[]".getBytes(),
                "Content-Type",
                "application/cloudevents-batch+json",
                "Authorization",
                "Bearer s3cret-token")),
        415);
    refused(
        receiver.receive(
            InboundRequest.post(
                "/hooks/cloudevents",
                "{\"specversion\":\"1.0\"}".getBytes(),
                "Content-Type",
                "application/cloudevents+json",
                "Authorization",
                "Bearer s3cret-token")),
        400);
  }
}
