package dev.freshet.trigger;

import dev.freshet.receive.Coalescer;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.ReceiverListener;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.Routes;
import dev.freshet.receive.sources.AcrReceiver;
import dev.freshet.receive.sources.CloudEventsReceiver;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.receive.sources.DockerHubReceiver;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.receive.sources.GitHubReceiver;
import dev.freshet.receive.sources.HarborReceiver;
import dev.freshet.receive.sources.QuayReceiver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoint of the operator: every receiver on its documented path, their secrets read from
 * the Secret {@value #SECRET_NAME} in the operator's namespace at start and whenever it changes, and
 * accepted pushes coalesced (a multi-arch push sends one event per manifest) before they trigger a
 * re-check. A source whose key is missing from the Secret refuses every request.
 *
 * <p>Keys: {@code hmac} (the generic signed form that {@code freshet notify} sends),
 * {@code distribution}, {@code harbor}, {@code acr}, {@code cloudevents} (the whole expected
 * {@code Authorization} header value), {@code dockerhub}, {@code quay} (the token in the URL path),
 * {@code github} (the webhook's HMAC secret).
 */
public final class WebhookEndpoint implements AutoCloseable {
  public static final String SECRET_NAME = "freshet-webhook";
  static final Duration COALESCE_WINDOW = Duration.ofMillis(150);
  private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);

  private record Source(String path, String key, Function<Secret, Receiver> factory) {}

  private final Map<String, SwappableReceiver> routes = new LinkedHashMap<>();
  private final Map<String, Source> sources = new LinkedHashMap<>();
  private final ReceiverServer server;
  private final Coalescer coalescer;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Secret> secretWatch;

  private WebhookEndpoint(
      KubernetesClient client, String namespace, InetSocketAddress address, Consumer<ImageHint> sink,
      MeterRegistry meters, Clock clock) throws IOException {
    Duration replayWindow = Duration.ofMinutes(10);
    add(new Source(Routes.GENERIC, "hmac", s -> new GenericReceiver(s, clock, new SeenCache(clock, replayWindow, 100_000))));
    add(new Source(Routes.DISTRIBUTION, "distribution", DistributionReceiver::new));
    add(new Source(Routes.DOCKERHUB, "dockerhub", DockerHubReceiver::new));
    add(new Source(Routes.QUAY, "quay", QuayReceiver::new));
    add(new Source(Routes.GITHUB, "github", s -> new GitHubReceiver(s, new SeenCache(clock, Duration.ofHours(24), 100_000))));
    add(new Source(Routes.HARBOR, "harbor", HarborReceiver::new));
    add(new Source(Routes.ACR, "acr", AcrReceiver::new));
    add(new Source(Routes.CLOUDEVENTS, "cloudevents", s -> new CloudEventsReceiver(s, new SeenCache(clock, Duration.ofHours(24), 100_000))));

    this.coalescer = new Coalescer(COALESCE_WINDOW, sink);
    var builder = ReceiverServer.builder().address(address).sink(coalescer).listener(new Metrics(meters));
    routes.forEach(builder::route);
    this.server = builder.build();

    this.secretWatch = client.secrets().inNamespace(namespace)
        .withField("metadata.name", SECRET_NAME)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(io.fabric8.kubernetes.api.model.Secret secret) {
            configure(secret);
          }

          @Override
          public void onUpdate(io.fabric8.kubernetes.api.model.Secret before, io.fabric8.kubernetes.api.model.Secret after) {
            configure(after);
          }

          @Override
          public void onDelete(io.fabric8.kubernetes.api.model.Secret secret, boolean unknownState) {
            configure(null);
          }
        });
  }

  /** Starts the endpoint on {@code address}, reading secrets from {@code namespace}. */
  public static WebhookEndpoint start(
      KubernetesClient client, String namespace, InetSocketAddress address, Consumer<ImageHint> sink,
      MeterRegistry meters, Clock clock) throws IOException {
    var endpoint = new WebhookEndpoint(client, namespace, address, sink, meters, clock);
    endpoint.server.start();
    log.info("webhook receivers listening on {}", endpoint.server.address());
    return endpoint;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** True once the Secret has been read and the source is configured; for readiness and tests. */
  public boolean isEnabled(String path) {
    return routes.get(path).isConfigured();
  }

  private void add(Source source) {
    sources.put(source.path(), source);
    routes.put(source.path(), new SwappableReceiver(source.key(), source.key()));
  }

  private void configure(io.fabric8.kubernetes.api.model.Secret secret) {
    Map<String, String> data = secret == null || secret.getData() == null ? Map.of() : secret.getData();
    sources.forEach((path, source) -> {
      Optional<Receiver> receiver = Optional.ofNullable(data.get(source.key()))
          .map(encoded -> Base64.getDecoder().decode(encoded))
          .map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim())
          .filter(value -> !value.isEmpty())
          .map(value -> source.factory().apply(Secret.of(value)));
      routes.get(path).set(receiver);
    });
    log.info("webhook sources enabled: {}", routes.entrySet().stream()
        .filter(e -> e.getValue().isConfigured()).map(e -> e.getValue().source()).toList());
  }

  @Override
  public void close() {
    secretWatch.close();
    server.close();
    coalescer.close();
  }

  /** Requests per source and outcome, as Prometheus counters. */
  private record Metrics(MeterRegistry meters) implements ReceiverListener {
    @Override
    public void requestHandled(String source, Outcome outcome, int status) {
      meters.counter("freshet_webhook_requests_total", "source", source,
          "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT), "status", Integer.toString(status))
          .increment();
    }
  }
}
