package dev.freshet.receive.server;

import dev.freshet.receive.Receiver;
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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mounts the receivers at their documented {@link Routes}, each only if its secret was given: a
 * source without a secret has no route at all (404), so nothing is ever accepted unauthenticated by
 * default.
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

  /** Long enough to cover the generic form's ±5-minute window and GitHub's quick re-deliveries. */
  private static final Duration REMEMBER = Duration.ofMinutes(15);

  private static final int REMEMBER_AT_MOST = 100_000;

  private final Clock clock;
  private final Map<String, Receiver> routes = new LinkedHashMap<>();

  public StandardReceivers(Clock clock) {
    this.clock = clock;
  }

  private SeenCache cache() {
    return new SeenCache(clock, REMEMBER, REMEMBER_AT_MOST);
  }

  public StandardReceivers generic(Secret hmacSecret) {
    routes.put(Routes.GENERIC, new GenericReceiver(hmacSecret, clock, cache()));
    return this;
  }

  /**
   * @param authorization the whole header value the registry sends, e.g. {@code Bearer <token>}
   */
  public StandardReceivers distribution(Secret authorization) {
    routes.put(Routes.DISTRIBUTION, new DistributionReceiver(authorization));
    return this;
  }

  public StandardReceivers dockerHub(Secret urlToken) {
    routes.put(Routes.DOCKERHUB, new DockerHubReceiver(urlToken));
    return this;
  }

  public StandardReceivers quay(Secret urlToken) {
    routes.put(Routes.QUAY, new QuayReceiver(urlToken));
    return this;
  }

  public StandardReceivers gitHub(Secret webhookSecret) {
    routes.put(Routes.GITHUB, new GitHubReceiver(webhookSecret, cache()));
    return this;
  }

  public StandardReceivers harbor(Secret authorization) {
    routes.put(Routes.HARBOR, new HarborReceiver(authorization));
    return this;
  }

  public StandardReceivers acr(Secret authorization) {
    routes.put(Routes.ACR, new AcrReceiver(authorization));
    return this;
  }

  public StandardReceivers cloudEvents(Secret authorization) {
    routes.put(Routes.CLOUDEVENTS, new CloudEventsReceiver(authorization, cache()));
    return this;
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
