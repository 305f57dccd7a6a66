package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import dev.freshet.tracked.TrackedControllers;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A signed notification from a pipeline re-checks the registry at once and rolls the workload to the
 * registry's digest well before any poll would; a notification the registry does not back changes
 * nothing. The poll interval is one hour throughout, so only the webhook can have caused a change.
 */
@WithTestbed
class WebhookTriggerIT {
  private static final String HMAC = "pipeline-secret";
  private Operator operator;
  private Poller poller;
  private WebhookEndpoint endpoint;
  private KubernetesClient operatorClient;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private void startFreshet(Testbed testbed, String namespace, KubernetesClient client) throws Exception {
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName(WebhookEndpoint.SECRET_NAME).endMetadata()
        .addToData("hmac", Base64.getEncoder().encodeToString(HMAC.getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    Clock clock = Clock.systemUTC();
    operatorClient = testbed.clientIn(namespace);
    poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 4);
    operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false));
    TrackedControllers.register(operator, operatorClient, poller, Set.of(namespace),
        new EventRecorder(operatorClient, "freshet", clock), clock);
    operator.start();
    endpoint = WebhookEndpoint.start(operatorClient, namespace, new InetSocketAddress("127.0.0.1", 0),
        new HintDispatcher(poller, meters), meters, clock);
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
    new NotifyClient().notify(url(), Secret.of(HMAC), second.reference(), Optional.of(second.digest()));

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

    await().atMost(Duration.ofSeconds(10))
        .until(() -> image(client).equals(second.pinnedReference()));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
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

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(client.v1().events().list().getItems())
            .anySatisfy(e -> {
              assertThat(e.getReason()).isEqualTo("HintRefused");
              assertThat(e.getMessage()).contains(forged).contains(served.digest());
            }));
    // Reported once: later reconciles of the same answer do not repeat it.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
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

    var delivered = new NotifyClient().notify(url(), Secret.of(HMAC),
        testbed.registry().host() + "/notify/unknown:dev", Optional.empty());

    assertThat(delivered.status()).isEqualTo(202);

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(client.apps().replicaSets().withLabel("app", "web").list().getItems()).hasSize(2));
    assertThat(image(client)).isEqualTo(image.pinnedReference());
  }

  @Test
  void aNotifyWithTheWrongSecretIsRefusedAndNothingIsChecked(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage image = freshetFollowing(testbed, ns, client, "notify/refused");
    PushedImage newer = testbed.registry().pusher().push("notify/refused", "dev");

    assertThatThrownBy(() -> new NotifyClient().notify(url(), Secret.of("not-the-secret"), newer.reference(), Optional.empty()))
        .isInstanceOf(NotifyException.class)
        .hasMessageContaining("401");

    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(image(client)).isEqualTo(image.pinnedReference()));
  }

  /** A tracked Deployment on a new image of {@code repository}, Freshet running, the image pinned. */
  private PushedImage freshetFollowing(
      Testbed testbed, TestNamespace ns, KubernetesClient client, String repository) throws Exception {
    PushedImage image = testbed.registry().pusher().push(repository, "dev");
    client.resource(deployment(image.reference())).create();
    startFreshet(testbed, ns.name(), client);
    await().atMost(Duration.ofSeconds(30)).until(() -> image(client).equals(image.pinnedReference()));
    return image;
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/hooks/generic");
  }

  private static Deployment deployment(String image) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("web").addToLabels("app", "web")
        .withAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "1h")).endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static String image(KubernetesClient client) {
    return client.apps().deployments().withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** Completes with the moment the watch saw the template name {@code image}. */
  private static CompletableFuture<Instant> whenImageBecomes(KubernetesClient client, String image) {
    CompletableFuture<Instant> seen = new CompletableFuture<>();
    Watch watch = client.apps().deployments().withName("web").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment d) {
        if (d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(image)) {
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
