package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.notify.NotifyException;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import dev.freshet.tracked.TrackedControllers;
import dev.freshet.tracked.UncopiedWorkloads;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A signed notification from a pipeline re-checks the registry at once and rolls the workload to
 * the registry's digest well before any poll would; a notification the registry does not back
 * changes nothing. The poll interval is one hour throughout, so only the webhook can have caused a
 * change.
 */
@WithTestbed
class WebhookTriggerIT {
  private static final String HMAC = "pipeline-secret";
  private Operator operator;
  private Poller poller;
  private WebhookEndpoint endpoint;
  private KubernetesClient operatorClient;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private void startFreshet(Testbed testbed, String namespace, KubernetesClient client)
      throws Exception {
    startFreshet(testbed, namespace, client, Map.of());
  }

  private void startFreshet(
      Testbed testbed, String namespace, KubernetesClient client, Map<String, String> moreKeys)
      throws Exception {
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(WebhookEndpoint.SECRET_NAME)
            .endMetadata()
            .addToData(
                "hmac", Base64.getEncoder().encodeToString(HMAC.getBytes(StandardCharsets.UTF_8)));
    moreKeys.forEach(
        (key, value) ->
            secret.addToData(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    client.secrets().resource(secret.build()).create();
    Clock clock = Clock.systemUTC();
    operatorClient = testbed.clientIn(namespace);
    poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 4);
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(operatorClient)
                    .withCloseClientOnStop(false)
                    .withResourceCloner(
                        new UncopiedWorkloads(operatorClient.getKubernetesSerialization())));
    TrackedControllers.register(
        operator,
        operatorClient,
        poller,
        Set.of(namespace),
        new EventRecorder(operatorClient, "freshet", clock),
        clock);
    operator.start();
    endpoint =
        WebhookEndpoint.start(
            operatorClient,
            namespace,
            new InetSocketAddress("127.0.0.1", 0),
            new HintDispatcher(poller, meters),
            meters,
            clock);
    await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.isEnabled("/hooks/generic"));
  }

  @AfterEach
  void stopFreshet() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (operator != null) {
      operator.stop();
    }
    if (poller != null) {
      poller.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
  }

  @Test
  void aSignedNotifyRollsTheWorkloadToThePushedDigestInUnderASecond(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage first = freshetFollowing(testbed, ns, client, "notify/web");

    PushedImage second = testbed.registry().pusher().push("notify/web", "dev");
    CompletableFuture<Instant> patched = whenImageBecomes(client, second.pinnedReference());
    Instant sent = Instant.now();
    new NotifyClient()
        .notify(url(), Secret.of(HMAC), second.reference(), Optional.of(second.digest()));

    Instant at = patched.get(10, TimeUnit.SECONDS);
    Duration latency = Duration.between(sent, at);
    System.out.printf("notify -> workload patched: %d ms%n", latency.toMillis());
    assertThat(latency).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void theRequestAndTheHintOfANotifyAreCountedUnderTheSameSourceName(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    freshetFollowing(testbed, ns, client, "notify/counted");
    PushedImage second = testbed.registry().pusher().push("notify/counted", "dev");

    new NotifyClient()
        .notify(url(), Secret.of(HMAC), second.reference(), Optional.of(second.digest()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> image(client).equals(second.pinnedReference()));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(meters.find("freshet_webhook_requests_total").counters())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getId().getTag("source")).isEqualTo("generic"));
              assertThat(meters.find("freshet_webhook_hints_total").counters())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getId().getTag("source")).isEqualTo("generic"));
            });
  }

  @Test
  void aNotifyNamingADigestTheRegistryDoesNotHoldDeploysOnlyTheRegistrysDigest(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage served = freshetFollowing(testbed, ns, client, "notify/forged");

    String forged = "sha256:" + "e".repeat(64);
    new NotifyClient().notify(url(), Secret.of(HMAC), served.reference(), Optional.of(forged));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("HintRefused");
                          assertThat(e.getMessage()).contains(forged).contains(served.digest());
                        }));
    // Reported once: later reconciles of the same answer do not repeat it.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().list().getItems())
                    .filteredOn(e -> "HintRefused".equals(e.getReason()))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(1)));
    assertThat(client.apps().deployments().withName("web").get().getMetadata().getAnnotations())
        .containsEntry(dev.freshet.tracked.TrackedStatus.REFUSED_HINT, forged);
    assertThat(image(client)).isEqualTo(served.pinnedReference());
  }

  @Test
  void aNotifyForAnImageNobodyRunsIsAcceptedAndChangesNothing(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage image = freshetFollowing(testbed, ns, client, "notify/known");

    var delivered =
        new NotifyClient()
            .notify(
                url(),
                Secret.of(HMAC),
                testbed.registry().host() + "/notify/unknown:dev",
                Optional.empty());

    assertThat(delivered.status()).isEqualTo(202);
    // The sender learns at once that the push changes nothing yet, not only a debug log.
    assertThat(delivered.message())
        .contains("followed by no workload yet")
        .contains("/notify/unknown:dev");

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(client.apps().replicaSets().withLabel("app", "web").list().getItems())
                    .hasSize(2));
    assertThat(image(client)).isEqualTo(image.pinnedReference());
  }

  @Test
  void aNotifyWithTheWrongSecretIsRefusedAndNothingIsChecked(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage image = freshetFollowing(testbed, ns, client, "notify/refused");
    PushedImage newer = testbed.registry().pusher().push("notify/refused", "dev");

    assertThatThrownBy(
            () ->
                new NotifyClient()
                    .notify(
                        url(), Secret.of("not-the-secret"), newer.reference(), Optional.empty()))
        .isInstanceOf(NotifyException.class)
        .hasMessageContaining("401");

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .untilAsserted(() -> assertThat(image(client)).isEqualTo(image.pinnedReference()));
  }

  /**
   * Harbor's documented CloudEvents example is a push by digest (its "tag" is the digest):
   * accepted, so Harbor does not retry it, answered and counted with its reason, and nothing is
   * re-checked.
   * https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/
   */
  @Test
  void aPushByDigestIsAnsweredAndCountedWithItsReason(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    String harborAuth = "Bearer harbor-secret";
    PushedImage image =
        freshetFollowing(testbed, ns, client, "notify/harbor", Map.of("harbor", harborAuth));
    String digest = image.digest();
    String event =
        """
        {"specversion":"1.0","id":"66e18103-09c1-41f6-982f-37df223f3eeb",
         "requestid":"51c0b694-0168-4f3c-b0db-282565455d7b","source":"/projects/2/webhook/policies/15",
         "type":"harbor.artifact.pushed","datacontenttype":"application/json","time":"2023-04-03T06:04:46Z",
         "data":{"resources":[{"digest":"%1$s","tag":"%1$s","resource_url":"%2$s/notify/harbor@%1$s"}],
                 "repository":{"date_created":1680501893,"name":"harbor","namespace":"notify",
                               "repo_full_name":"notify/harbor","repo_type":"private"}},
         "operator":"harbor-jobservice"}"""
            .formatted(digest, testbed.registry().host());

    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + endpoint.address().getPort() + "/hooks/harbor"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", harborAuth)
                    .POST(HttpRequest.BodyPublishers.ofString(event))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body())
        .contains("accepted: 0 hint(s)")
        .contains("[untagged]")
        .contains("notify/harbor");
    assertThat(
            meters
                .find(HintDispatcher.IGNORED)
                .tags("source", "harbor", "reason", "untagged")
                .counter())
        .isNotNull()
        .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
    assertThat(meters.find("freshet_webhook_hints_total").counters()).isEmpty();
  }

  /**
   * A Pub/Sub push of an Artifact Registry notification, with the OIDC token Pub/Sub attaches,
   * signed by a local issuer whose JWKS Freshet was pointed at, rolls the workload.
   * https://cloud.google.com/artifact-registry/docs/configure-notifications,
   * https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
   */
  @Test
  void aSignedArtifactRegistryPushRollsTheWorkload(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("it").generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.createContext(
        "/certs",
        exchange -> {
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    issuer.start();
    try {
      String audience = "https://freshet.example.com/hooks/gar";
      String email = "pubsub-push@it-project.iam.gserviceaccount.com";
      freshetFollowing(
          testbed,
          ns,
          client,
          "notify/gar",
          Map.of(
              "gar-audience",
              audience,
              "gar-email",
              email,
              "gar-jwks-url",
              "http://127.0.0.1:" + issuer.getAddress().getPort() + "/certs"));
      await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.isEnabled("/hooks/gar"));
      PushedImage second = testbed.registry().pusher().push("notify/gar", "dev");
      String data =
          "{\"action\":\"INSERT\",\"digest\":\""
              + testbed.registry().host()
              + "/notify/gar@"
              + second.digest()
              + "\",\"tag\":\""
              + testbed.registry().host()
              + "/notify/gar:dev\"}";
      String envelope =
          "{\"message\":{\"data\":\""
              + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
              + "\",\"messageId\":\"1\"},\"subscription\":\"projects/it-project/subscriptions/freshet\"}";
      SignedJWT token =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("it").build(),
              new JWTClaimsSet.Builder()
                  .issuer("https://accounts.google.com")
                  .audience(audience)
                  .claim("email", email)
                  .claim("email_verified", true)
                  .issueTime(new Date())
                  .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                  .build());
      token.sign(new RSASSASigner(key));

      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + endpoint.address().getPort() + "/hooks/gar"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + token.serialize())
                      .POST(HttpRequest.BodyPublishers.ofString(envelope))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> image(client).equals(second.pinnedReference()));
    } finally {
      issuer.stop(0);
    }
  }

  /**
   * A tracked Deployment on a new image of {@code repository}, Freshet running, the image pinned.
   */
  private PushedImage freshetFollowing(
      Testbed testbed, TestNamespace ns, KubernetesClient client, String repository)
      throws Exception {
    return freshetFollowing(testbed, ns, client, repository, Map.of());
  }

  private PushedImage freshetFollowing(
      Testbed testbed,
      TestNamespace ns,
      KubernetesClient client,
      String repository,
      Map<String, String> moreKeys)
      throws Exception {
    PushedImage image = testbed.registry().pusher().push(repository, "dev");
    client.resource(deployment(image.reference())).create();
    startFreshet(testbed, ns.name(), client, moreKeys);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> image(client).equals(image.pinnedReference()));
    return image;
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/hooks/generic");
  }

  private static Deployment deployment(String image) {
    Deployment deployment = Workloads.deployment("web", image, 1);
    deployment
        .getMetadata()
        .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "1h"));
    return deployment;
  }

  private static String image(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .withName("web")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  /** Completes with the moment the watch saw the template name {@code image}. */
  private static CompletableFuture<Instant> whenImageBecomes(
      KubernetesClient client, String image) {
    CompletableFuture<Instant> seen = new CompletableFuture<>();
    Watch watch =
        client
            .apps()
            .deployments()
            .withName("web")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment d) {
                    if (d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .equals(image)) {
                      seen.complete(Instant.now());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    seen.whenComplete((at, e) -> watch.close());
    return seen;
  }
}
