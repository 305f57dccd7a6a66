package dev.freshet.pipeline;

import static org.awaitility.Awaitility.await;

import dev.freshet.it.AppCrd;
import dev.freshet.it.RunningOperator;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.poll.Poller;
import dev.freshet.receive.ImageHint;
import dev.freshet.testbed.Testbed;
import dev.freshet.trigger.HintDispatcher;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Freshet as it runs in a cluster, inside the test JVM: the operator (App and tracked-workload
 * controllers) watching only the test's namespace, and the webhook endpoint feeding the same
 * poller, so a webhook's re-check reaches the Apps. The endpoint is started separately ({@link
 * #listen}), because a test may have to wait for its port.
 */
public final class FreshetWithWebhooks implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Poller poller = RunningOperator.testbedPoller();
  private final Operator operator;
  private WebhookEndpoint endpoint;

  private FreshetWithWebhooks(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    var settings =
        new OperatorSettings(Set.of(namespace), OperatorSettings.DEFAULT_RESYNC, Optional.empty());
    this.operator = FreshetOperator.create(client, settings, meters, poller);
  }

  /**
   * Writes the Secret {@code freshet-webhook} with {@code keys} (plain values) into {@code
   * namespace} and starts the operator there.
   */
  public static FreshetWithWebhooks start(
      KubernetesClient client, String namespace, Map<String, String> keys) {
    AppCrd.install(Testbed.get().client());
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(WebhookEndpoint.SECRET_NAME)
            .withNamespace(namespace)
            .endMetadata();
    keys.forEach(
        (key, value) ->
            secret.addToData(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(namespace).resource(secret.build()).create();
    var freshet = new FreshetWithWebhooks(client, namespace);
    freshet.operator.start();
    return freshet;
  }

  /**
   * Serves the receivers on {@code address} and waits until the Secret has configured {@code path}.
   * Hints go to the operator's poller; {@code observer} sees each one first.
   *
   * @throws IOException if the address cannot be bound (e.g. {@link java.net.BindException})
   */
  public void listen(
      InetSocketAddress address, String path, java.util.function.Consumer<ImageHint> observer)
      throws IOException {
    var dispatcher = new HintDispatcher(poller, meters);
    endpoint =
        WebhookEndpoint.start(
            client,
            namespace,
            address,
            hint -> {
              observer.accept(hint);
              dispatcher.accept(hint);
            },
            meters,
            Clock.systemUTC());
    await("the webhook Secret to configure " + path)
        .atMost(Duration.ofSeconds(10))
        .until(() -> endpoint.isEnabled(path));
  }

  /** Where the running endpoint listens. */
  public InetSocketAddress address() {
    return endpoint.address();
  }

  /** The operator's and the endpoint's meters, e.g. {@code freshet_webhook_hints_total}. */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  /** The URL of {@code path} on the running endpoint. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
  }

  /** Frees the endpoint's port now; the operator keeps running. */
  public void stopListening() {
    if (endpoint != null) {
      endpoint.close();
      endpoint = null;
    }
  }

  @Override
  public void close() {
    stopListening();
    operator.stop();
    poller.close();
  }
}
