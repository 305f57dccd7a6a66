package dev.freshet.receive.server;

import dev.freshet.receive.Receiver;
import dev.freshet.receive.auth.Secret;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mounts the receivers of the {@link Source} table at their documented paths, each only if its
 * secret was given: a source without a secret has no route at all (404), so nothing is ever
 * accepted unauthenticated by default.
 *
 * <pre>{@code
 * ReceiverServer server = new StandardReceivers(Clock.systemUTC())
 *     .generic(Secret.of(ciSecret))
 *     .distribution(Secret.of("Bearer " + registryToken))
 *     .mount(ReceiverServer.builder().address(address).sink(coalescer).listener(metrics))
 *     .build().start();
 * }</pre>
 */
public final class StandardReceivers {

  private final Clock clock;
  private final Map<String, Receiver> routes = new LinkedHashMap<>();

  public StandardReceivers(Clock clock) {
    this.clock = clock;
  }

  /** Mounts {@code source} at its path, checking requests against {@code secret}. */
  public StandardReceivers with(Source source, Secret secret) {
    routes.put(source.path(), source.receiver(secret, clock));
    return this;
  }

  public StandardReceivers generic(Secret hmacSecret) {
    return with(Source.GENERIC, hmacSecret);
  }

  /**
   * @param authorization the whole header value the registry sends, e.g. {@code Bearer <token>}
   */
  public StandardReceivers distribution(Secret authorization) {
    return with(Source.DISTRIBUTION, authorization);
  }

  public StandardReceivers dockerHub(Secret urlToken) {
    return with(Source.DOCKERHUB, urlToken);
  }

  public StandardReceivers quay(Secret urlToken) {
    return with(Source.QUAY, urlToken);
  }

  public StandardReceivers gitHub(Secret webhookSecret) {
    return with(Source.GITHUB, webhookSecret);
  }

  public StandardReceivers harbor(Secret authorization) {
    return with(Source.HARBOR, authorization);
  }

  public StandardReceivers acr(Secret authorization) {
    return with(Source.ACR, authorization);
  }

  public StandardReceivers cloudEvents(Secret authorization) {
    return with(Source.CLOUDEVENTS, authorization);
  }

  /** Adds the configured routes to a server builder. */
  public ReceiverServer.Builder mount(ReceiverServer.Builder builder) {
    routes.forEach(builder::route);
    return builder;
  }

  /** The configured routes, path to receiver. */
  public Map<String, Receiver> routes() {
    return Map.copyOf(routes);
  }
}
