package dev.freshet.receive.sources;

import static dev.freshet.receive.sources.ArtifactRegistryReceiverTest.ignoredReasons;
import static dev.freshet.receive.sources.ReceiverAssertions.hints;
import static dev.freshet.receive.sources.ReceiverAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payloads as senders really send them: Harbor's CloudEvents format, URLs where names are expected,
 * fields some senders leave out. Lenient reading never relaxes authentication.
 */
class PayloadsTest {

  private static final String AUTH = "Bearer s3cret-token";
  private static final String DIGEST =
      "sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";

  /**
   * Harbor's documented CloudEvents example, verbatim in its fields (a push by digest: the "tag" is
   * the digest), from
   * https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/
   */
  private static final String HARBOR_CE_BY_DIGEST =
      """
      {"specversion":"1.0","id":"66e18103-09c1-41f6-982f-37df223f3eeb",
       "requestid":"51c0b694-0168-4f3c-b0db-282565455d7b","source":"/projects/2/webhook/policies/15",
       "type":"harbor.artifact.pushed","datacontenttype":"application/json",
       "time":"2023-04-03T06:04:46Z",
       "data":{"resources":[{"digest":"%1$s","tag":"%1$s",
                             "resource_url":"localhost/harbor/alpine@%1$s"}],
               "repository":{"date_created":1680501893,"name":"alpine","namespace":"harbor",
                             "repo_full_name":"harbor/alpine","repo_type":"private"}},
       "operator":"harbor-jobservice"}"""
          .formatted(DIGEST);

  /**
   * The same event for a tagged push: the resource of Harbor's documented Default-format example
   * (same page; {@code hub.harbor.com/test-webhook/debian:latest}) in the CloudEvents envelope.
   */
  private static final String HARBOR_CE_TAGGED =
      """
      {"specversion":"1.0","id":"4418e706-e298-4f5a-8b7e-fa842a37eb17",
       "source":"/projects/2/webhook/policies/17","type":"harbor.artifact.pushed",
       "datacontenttype":"application/json","time":"2023-04-03T06:04:46Z",
       "data":{"resources":[{"digest":"%s","tag":"latest",
                             "resource_url":"hub.harbor.com/test-webhook/debian:latest"}],
               "repository":{"date_created":1586922308,"name":"debian","namespace":"test-webhook",
                             "repo_full_name":"test-webhook/debian","repo_type":"private"}},
       "operator":"admin"}"""
          .formatted(DIGEST);

  private static final String HARBOR_DATA_TAGGED =
      HARBOR_CE_TAGGED.substring(
          HARBOR_CE_TAGGED.indexOf("{\"resources\""),
          HARBOR_CE_TAGGED.lastIndexOf(",", HARBOR_CE_TAGGED.lastIndexOf("\"operator\"")));

  private static SeenCache seen() {
    return new SeenCache(Clock.systemUTC(), Duration.ofHours(1), 1000);
  }

  private static InboundRequest post(String path, String body, String... headers) {
    return InboundRequest.post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static void assertDebianLatest(Verdict verdict) {
    assertThat(hints(verdict))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.reference()).isEqualTo("hub.harbor.com/test-webhook/debian:latest");
              assertThat(h.digest()).contains(DIGEST);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/cloudevents+json"})
  void harborsCloudEventsFormatIsReadOnTheHarborPath(String contentType) {
    Verdict verdict =
        new HarborReceiver(Secret.of(AUTH))
            .receive(
                post(
                    "/hooks/harbor",
                    HARBOR_CE_TAGGED,
                    "Content-Type",
                    contentType,
                    "Authorization",
                    AUTH));
    assertDebianLatest(verdict);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/cloudevents+json"})
  void harborsCloudEventsFormatIsReadOnTheCloudEventsPath(String contentType) {
    Verdict verdict =
        new CloudEventsReceiver(Secret.of(AUTH), seen())
            .receive(
                post(
                    "/hooks/cloudevents",
                    HARBOR_CE_TAGGED,
                    "Content-Type",
                    contentType,
                    "Authorization",
                    AUTH));
    assertDebianLatest(verdict);
  }

  @Test
  void harborsCloudEventsInBinaryModeAreReadOnBothPaths() {
    String[] headers = {
      "Content-Type", "application/json",
      "Authorization", AUTH,
      "ce-specversion", "1.0",
      "ce-id", "4418e706-e298-4f5a-8b7e-fa842a37eb17",
      "ce-source", "/projects/2/webhook/policies/17",
      "ce-type", "harbor.artifact.pushed"
    };
    assertDebianLatest(
        new HarborReceiver(Secret.of(AUTH))
            .receive(post("/hooks/harbor", HARBOR_DATA_TAGGED, headers)));
    assertDebianLatest(
        new CloudEventsReceiver(Secret.of(AUTH), seen())
            .receive(post("/hooks/cloudevents", HARBOR_DATA_TAGGED, headers)));
  }

  @Test
  void harborsDocumentedPushByDigestIsAcceptedAsUntagged() {
    Verdict onHarbor =
        new HarborReceiver(Secret.of(AUTH))
            .receive(
                post(
                    "/hooks/harbor",
                    HARBOR_CE_BY_DIGEST,
                    "Content-Type",
                    "application/json",
                    "Authorization",
                    AUTH));
    Verdict onCloudEvents =
        new CloudEventsReceiver(Secret.of(AUTH), seen())
            .receive(
                post(
                    "/hooks/cloudevents",
                    HARBOR_CE_BY_DIGEST,
                    "Content-Type",
                    "application/cloudevents+json",
                    "Authorization",
                    AUTH));

    assertThat(ignoredReasons(onHarbor)).containsExactly(IgnoreReason.UNTAGGED);
    assertThat(ignoredReasons(onCloudEvents)).containsExactly(IgnoreReason.UNTAGGED);
    assertThat(((Verdict.Accepted) onHarbor).skipped())
        .singleElement()
        .asString()
        .contains("localhost/harbor/alpine")
        .contains("[untagged]");
  }

  @Test
  void aHarborPullInTheCloudEventsFormatIsNotAPush() {
    String pull = HARBOR_CE_TAGGED.replace("harbor.artifact.pushed", "harbor.artifact.pulled");
    assertThat(
            ignoredReasons(
                new HarborReceiver(Secret.of(AUTH))
                    .receive(
                        post(
                            "/hooks/harbor",
                            pull,
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            AUTH))))
        .containsExactly(IgnoreReason.NOT_A_PUSH);
  }

  /**
   * Quay's documented payload
   * (https://docs.redhat.com/en/documentation/red_hat_quay/3.3/html/use_red_hat_quay/repository_notifications)
   * with docker_url written as a self-hosted installation writes it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://quay.example.com/org/repo",
        "http://quay.example.com/org/repo/",
        "https://Quay.Example.COM/org/repo",
        "quay.example.com/org/repo/",
      })
  void quaysDockerUrlWithASchemeSlashOrUpperCaseHostIsAccepted(String dockerUrl) {
    String body =
        """
        {"name":"repository","repository":"org/repo","namespace":"org",
         "docker_url":"%s","homepage":"https://quay.example.com/repository/org/repo",
         "updated_tags":["latest"]}"""
            .formatted(dockerUrl);
    assertThat(
            hints(
                new QuayReceiver(Secret.of("tok"))
                    .receive(post("/hooks/quay/tok", body, "Content-Type", "application/json"))))
        .singleElement()
        .satisfies(h -> assertThat(h.reference()).isEqualTo("quay.example.com/org/repo:latest"));
  }

  @Test
  void quaysDockerUrlWithAPortKeepsIt() {
    String body =
        "{\"docker_url\":\"https://quay.example.com:8443/org/repo\",\"updated_tags\":[\"1.0\"]}";
    assertThat(
            hints(
                new QuayReceiver(Secret.of("tok"))
                    .receive(post("/hooks/quay/tok", body, "Content-Type", "application/json"))))
        .singleElement()
        .satisfies(h -> assertThat(h.reference()).isEqualTo("quay.example.com:8443/org/repo:1.0"));
  }

  @Test
  void harborsResourceUrlWithASchemeAndUpperCaseHostIsAccepted() {
    String body =
        """
        {"type":"PUSH_ARTIFACT","occur_at":1586922308,"operator":"admin",
         "event_data":{"resources":[{"digest":"%s","tag":"latest",
           "resource_url":"https://Hub.Harbor.com:8443/test-webhook/debian:latest"}],
           "repository":{"name":"debian","namespace":"test-webhook",
                         "repo_full_name":"test-webhook/debian","repo_type":"private"}}}"""
            .formatted(DIGEST);
    assertThat(
            hints(
                new HarborReceiver(Secret.of(AUTH))
                    .receive(
                        post(
                            "/hooks/harbor",
                            body,
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            AUTH))))
        .singleElement()
        .satisfies(
            h ->
                assertThat(h.reference())
                    .isEqualTo("hub.harbor.com:8443/test-webhook/debian:latest"));
  }

  /**
   * ACR's documented push
   * (https://learn.microsoft.com/azure/container-registry/container-registry-webhook-reference)
   * with an upper-case request.host, and without target.mediaType: a tagged push all the same.
   */
  @Test
  void anAcrPushWithATagButNoMediaTypeIsAPush() {
    String body =
        """
        {"id":"cb8c3971-9adc-488b-bdd8-43cbb4974ff5","timestamp":"2017-11-17T16:52:01.343145347Z",
         "action":"push","target":{"size":524,"digest":"sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d",
         "length":524,"repository":"hello-world","tag":"v1"},
         "request":{"id":"3cbb6949-7549-4fa1-86cd-a6d5451dffc7","host":"MyRegistry.azurecr.io",
                    "method":"PUT","useragent":"docker/17.09.0-ce"}}""";
    assertThat(
            hints(
                new AcrReceiver(Secret.of(AUTH))
                    .receive(
                        post(
                            "/hooks/acr",
                            body,
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            AUTH))))
        .singleElement()
        .satisfies(
            h -> assertThat(h.reference()).isEqualTo("myregistry.azurecr.io/hello-world:v1"));
  }

  @Test
  void anAcrBlobPushWithoutATagIsStillIgnored() {
    String body =
        "{\"action\":\"push\",\"target\":{\"repository\":\"hello-world\",\"digest\":\""
            + DIGEST
            + "\"},\"request\":{\"host\":\"myregistry.azurecr.io\"}}";
    assertThat(
            ignoredReasons(
                new AcrReceiver(Secret.of(AUTH))
                    .receive(
                        post(
                            "/hooks/acr",
                            body,
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            AUTH))))
        .containsExactly(IgnoreReason.UNTAGGED);
  }

  /** Docker Hub's payload (Keel's capture, /work/shared/fixtures) without repo_name. */
  @Test
  void dockerHubWithoutRepoNameFallsBackToNamespaceAndName() {
    String body =
        "{\"push_data\":{\"tag\":\"0.1.7\",\"pusher\":\"karolisr\"},"
            + "\"repository\":{\"name\":\"keel\",\"namespace\":\"karolisr\",\"owner\":\"karolisr\"}}";
    assertThat(
            hints(
                new DockerHubReceiver(Secret.of("tok"))
                    .receive(
                        post("/hooks/dockerhub/tok", body, "Content-Type", "application/json"))))
        .singleElement()
        .satisfies(h -> assertThat(h.reference()).isEqualTo("docker.io/karolisr/keel:0.1.7"));
  }

  @Test
  void dockerHubNamingNoRepositoryIsAcceptedAndSaysSo() {
    String body = "{\"push_data\":{\"tag\":\"0.1.7\"},\"repository\":{\"owner\":\"karolisr\"}}";
    assertThat(
            ignoredReasons(
                new DockerHubReceiver(Secret.of("tok"))
                    .receive(
                        post("/hooks/dockerhub/tok", body, "Content-Type", "application/json"))))
        .containsExactly(IgnoreReason.NO_REPOSITORY);
  }

  @Test
  void aCloudEventWithoutARegistryTakesTheHostOfAUrlSource() {
    String event =
        """
        {"specversion":"1.0","id":"e-1","source":"https://registry.example.com:5000/events",
         "type":"com.example.image.pushed","data":{"repository":"team/api","tag":"v1"}}""";
    assertThat(
            hints(
                new CloudEventsReceiver(Secret.of(AUTH), seen())
                    .receive(
                        post(
                            "/hooks/cloudevents",
                            event,
                            "Content-Type",
                            "application/cloudevents+json",
                            "Authorization",
                            AUTH))))
        .singleElement()
        .satisfies(
            h -> assertThat(h.reference()).isEqualTo("registry.example.com:5000/team/api:v1"));
  }

  @Test
  void aCloudEventWithoutARegistryOrAUrlSourceNamesNoRegistry() {
    String event =
        """
        {"specversion":"1.0","id":"e-2","source":"/ci/pipelines/7",
         "type":"com.example.image.pushed","data":{"repository":"team/api","tag":"v1"}}""";
    assertThat(
            ignoredReasons(
                new CloudEventsReceiver(Secret.of(AUTH), seen())
                    .receive(
                        post(
                            "/hooks/cloudevents",
                            event,
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            AUTH))))
        .containsExactly(IgnoreReason.NO_REGISTRY);
  }

  @Test
  void plainJsonWithoutSpecversionOrCeHeadersIsStillRefused() {
    refused(
        new CloudEventsReceiver(Secret.of(AUTH), seen())
            .receive(
                post(
                    "/hooks/cloudevents",
                    "{\"repository\":\"team/api\"}",
                    "Content-Type",
                    "application/json",
                    "Authorization",
                    AUTH)),
        415);
  }

  @Test
  void everyLenientReadingStillRequiresAuthentication() {
    String quay = "{\"docker_url\":\"https://quay.example.com/org/repo\",\"updated_tags\":[\"1\"]}";
    String hub =
        "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"name\":\"keel\",\"namespace\":\"k\"}}";
    String acr =
        "{\"action\":\"push\",\"target\":{\"repository\":\"r\",\"tag\":\"v1\"},\"request\":{\"host\":\"a.azurecr.io\"}}";
    String ce =
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"https://r.example.com\",\"type\":\"push\",\"data\":{\"repository\":\"a/b\",\"tag\":\"1\"}}";
    Receiver harbor = new HarborReceiver(Secret.of(AUTH));
    Receiver cloudEvents = new CloudEventsReceiver(Secret.of(AUTH), seen());
    String[] wrong = {"Content-Type", "application/json", "Authorization", "Bearer wrong"};
    String[] none = {"Content-Type", "application/json"};

    for (String[] headers : new String[][] {wrong, none}) {
      refused(harbor.receive(post("/hooks/harbor", HARBOR_CE_TAGGED, headers)), 401);
      refused(cloudEvents.receive(post("/hooks/cloudevents", HARBOR_CE_TAGGED, headers)), 401);
      refused(cloudEvents.receive(post("/hooks/cloudevents", ce, headers)), 401);
      refused(new AcrReceiver(Secret.of(AUTH)).receive(post("/hooks/acr", acr, headers)), 401);
    }
    refused(new QuayReceiver(Secret.of("tok")).receive(post("/hooks/quay/nope", quay, none)), 401);
    refused(
        new DockerHubReceiver(Secret.of("tok")).receive(post("/hooks/dockerhub/nope", hub, none)),
        401);
  }
}
