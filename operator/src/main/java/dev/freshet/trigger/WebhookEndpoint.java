package dev.freshet.trigger;

import dev.freshet.receive.Coalescer;
import dev.freshet.receive.Ignored;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.ReceiverListener;
import dev.freshet.receive.RefusalReason;
import dev.freshet.receive.server.ClientRate;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.Source;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoint of the operator: every receiver on its documented path, their secrets read
 * from one Secret ({@value #SECRET_NAME} unless the operator is told another name) in the
 * operator's namespace at start and whenever it changes, and accepted pushes coalesced (a
 * multi-arch push sends one event per manifest) before they trigger a re-check. A source whose key
 * is missing from the Secret refuses every request.
 *
 * <p>Paths, source names and keys are the {@link Source} table's: {@code hmac} (the generic signed
 * form that {@code freshet notify} sends), {@code distribution}, {@code harbor}, {@code acr},
 * {@code cloudevents} (the whole expected {@code Authorization} header value), {@code dockerhub},
 * {@code quay} (the token in the URL path), {@code github} (the webhook's HMAC secret), {@code
 * oidc} (the pipelines' OIDC policy, YAML, for the generic form). Requests and hints are counted
 * under the source name ({@code generic}, not its key {@code hmac}). A key that cannot be used is
 * logged and counted in {@value #CONFIG_PROBLEMS}; it never disables another source.
 */
public final class WebhookEndpoint implements AutoCloseable {
  public static final String SECRET_NAME = "freshet-webhook";
  static final Duration COALESCE_WINDOW = Duration.ofMillis(150);
  private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);

  /** Problems with the Secret's keys of a source, as last read (0 when all is well). */
  public static final String CONFIG_PROBLEMS = "freshet_webhook_config_problems";

  /**
   * Refused requests with a stable reason (pipeline tokens, and the endpoint's own limits: {@code
   * rate-limited}, {@code busy}, {@code headers-too-large}, {@code malformed-request}), per source
   * and reason.
   */
  public static final String REFUSED = "freshet_webhook_refused_total";

  /** Accepted hints lost because the sink failed or fell behind its bounded queue. */
  public static final String SINK_FAILURES = "freshet_webhook_sink_failures_total";

  private final Map<String, SwappableReceiver> routes = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> problems =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ReceiverServer server;
  private final Coalescer coalescer;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Secret> secretWatch;
  private final Clock clock;

  private WebhookEndpoint(
      KubernetesClient client,
      String namespace,
      String secretName,
      InetSocketAddress address,
      Consumer<ImageHint> sink,
      Predicate<ImageHint> followed,
      MeterRegistry meters,
      Clock clock,
      ClientRate clientRate)
      throws IOException {
    this.clock = clock;
    for (Source source : Source.values()) {
      routes.put(
          source.path(),
          new SwappableReceiver(source.sourceName(), source.enablingKeys(), secretName));
      meters.gauge(
          CONFIG_PROBLEMS,
          java.util.List.of(io.micrometer.core.instrument.Tag.of("source", source.sourceName())),
          problems.computeIfAbsent(source.sourceName(), k -> new AtomicInteger()));
    }

    this.coalescer = new Coalescer(COALESCE_WINDOW, sink);
    var builder =
        ReceiverServer.builder()
            .address(address)
            .sink(coalescer)
            .followed(followed)
            .clientRate(clientRate)
            .listener(new Metrics(meters));
    routes.forEach(builder::route);
    this.server = builder.build();

    this.secretWatch =
        client
            .secrets()
            .inNamespace(namespace)
            .withField("metadata.name", secretName)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(io.fabric8.kubernetes.api.model.Secret secret) {
                    configure(secret);
                  }

                  @Override
                  public void onUpdate(
                      io.fabric8.kubernetes.api.model.Secret before,
                      io.fabric8.kubernetes.api.model.Secret after) {
                    configure(after);
                  }

                  @Override
                  public void onDelete(
                      io.fabric8.kubernetes.api.model.Secret secret, boolean unknownState) {
                    configure(null);
                  }
                });
  }

  /** Starts the endpoint on {@code address}, reading secrets from {@code namespace}. */
  public static WebhookEndpoint start(
      KubernetesClient client,
      String namespace,
      InetSocketAddress address,
      Consumer<ImageHint> sink,
      MeterRegistry meters,
      Clock clock)
      throws IOException {
    return start(client, namespace, address, sink, meters, clock, ClientRate.DEFAULT);
  }

  /**
   * The same, letting each client address send at {@code clientRate} (for a benchmark whose one
   * sender stands for many pipelines).
   */
  public static WebhookEndpoint start(
      KubernetesClient client,
      String namespace,
      InetSocketAddress address,
      Consumer<ImageHint> sink,
      MeterRegistry meters,
      Clock clock,
      ClientRate clientRate)
      throws IOException {
    return start(
        client, namespace, SECRET_NAME, address, sink, hint -> true, meters, clock, clientRate);
  }

  /**
   * Starts the endpoint with {@code dispatcher} as its sink; the answer to a push also says when no
   * workload follows its image yet.
   */
  public static WebhookEndpoint start(
      KubernetesClient client,
      String namespace,
      InetSocketAddress address,
      HintDispatcher dispatcher,
      MeterRegistry meters,
      Clock clock)
      throws IOException {
    return start(client, namespace, SECRET_NAME, address, dispatcher, meters, clock);
  }

  /** The same, reading the secrets from the Secret {@code secretName} in {@code namespace}. */
  public static WebhookEndpoint start(
      KubernetesClient client,
      String namespace,
      String secretName,
      InetSocketAddress address,
      HintDispatcher dispatcher,
      MeterRegistry meters,
      Clock clock)
      throws IOException {
    return start(
        client,
        namespace,
        secretName,
        address,
        dispatcher,
        dispatcher::follows,
        meters,
        clock,
        ClientRate.DEFAULT);
  }

  private static WebhookEndpoint start(
      KubernetesClient client,
      String namespace,
      String secretName,
      InetSocketAddress address,
      Consumer<ImageHint> sink,
      Predicate<ImageHint> followed,
      MeterRegistry meters,
      Clock clock,
      ClientRate clientRate)
      throws IOException {
    var endpoint =
        new WebhookEndpoint(
            client, namespace, secretName, address, sink, followed, meters, clock, clientRate);
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

  private void configure(io.fabric8.kubernetes.api.model.Secret secret) {
    Map<String, String> data =
        secret == null || secret.getData() == null ? Map.of() : secret.getData();
    for (Source source : Source.values()) {
      Optional<Receiver> receiver;
      java.util.List<String> found = new java.util.ArrayList<>();
      try {
        receiver =
            source.receiver(
                key ->
                    Optional.ofNullable(data.get(key))
                        .map(encoded -> Base64.getDecoder().decode(encoded))
                        .map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim()),
                clock,
                problem -> {
                  // A bad value the source can do without (an oidc policy beside an hmac
                  // secret): left out, the rest of the source stays enabled.
                  log.warn("webhook source {}: {}", source.sourceName(), problem);
                  found.add(problem);
                });
      } catch (IllegalArgumentException e) {
        // An unusable value (a JWKS URL that is no URL) leaves the source disabled, not the others.
        log.warn("webhook source {} not enabled: {}", source.sourceName(), e.getMessage());
        found.add(e.getMessage());
        receiver = Optional.empty();
      }
      problems.get(source.sourceName()).set(found.size());
      routes.get(source.path()).set(receiver);
    }
    log.info(
        "webhook sources enabled: {}",
        routes.entrySet().stream()
            .filter(e -> e.getValue().isConfigured())
            .map(e -> e.getValue().source())
            .toList());
  }

  @Override
  public void close() {
    secretWatch.close();
    server.close();
    coalescer.close();
  }

  /**
   * Requests per source and outcome, and events accepted without a re-check per source and reason,
   * as Prometheus counters.
   */
  private record Metrics(MeterRegistry meters) implements ReceiverListener {
    @Override
    public void ignored(String source, Ignored ignored) {
      HintDispatcher.countIgnored(meters, source, ignored.reason());
    }

    @Override
    public void refused(String source, RefusalReason reason) {
      meters.counter(REFUSED, "source", source, "reason", reason.label()).increment();
    }

    @Override
    public void sinkFailed(ImageHint hint, RuntimeException failure) {
      meters.counter(SINK_FAILURES, "source", hint.source()).increment();
    }

    @Override
    public void requestHandled(String source, Outcome outcome, int status) {
      meters
          .counter(
              "freshet_webhook_requests_total",
              "source",
              source,
              "outcome",
              outcome.name().toLowerCase(java.util.Locale.ROOT),
              "status",
              Integer.toString(status))
          .increment();
    }
  }
}
