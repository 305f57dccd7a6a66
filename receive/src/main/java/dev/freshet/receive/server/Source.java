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
import java.util.function.BiFunction;

/**
 * The route table: every webhook source with its path, its name (in hints, logs and metric labels),
 * the key of its secret in the operator's Secret, and how to build its receiver from that secret.
 * {@link StandardReceivers} and the operator's endpoint both mount from here, so a source has one
 * name everywhere.
 */
public enum Source {
  GENERIC(
      Routes.GENERIC,
      "generic",
      "hmac",
      (secret, clock) -> new GenericReceiver(secret, clock, seen(clock, Duration.ofMinutes(15)))),
  DISTRIBUTION(
      Routes.DISTRIBUTION, "distribution", "distribution", (s, c) -> new DistributionReceiver(s)),
  DOCKERHUB(Routes.DOCKERHUB, "dockerhub", "dockerhub", (s, c) -> new DockerHubReceiver(s)),
  QUAY(Routes.QUAY, "quay", "quay", (s, c) -> new QuayReceiver(s)),
  GITHUB(
      Routes.GITHUB,
      "github",
      "github",
      (secret, clock) -> new GitHubReceiver(secret, seen(clock, Duration.ofHours(24)))),
  HARBOR(Routes.HARBOR, "harbor", "harbor", (s, c) -> new HarborReceiver(s)),
  ACR(Routes.ACR, "acr", "acr", (s, c) -> new AcrReceiver(s)),
  CLOUDEVENTS(
      Routes.CLOUDEVENTS,
      "cloudevents",
      "cloudevents",
      (secret, clock) -> new CloudEventsReceiver(secret, seen(clock, Duration.ofHours(24))));

  /** Per source; a sender cannot make Freshet remember more than this many deliveries. */
  private static final int REMEMBER_AT_MOST = 100_000;

  private final String path;
  private final String sourceName;
  private final String secretKey;
  private final BiFunction<Secret, Clock, Receiver> factory;

  Source(
      String path,
      String sourceName,
      String secretKey,
      BiFunction<Secret, Clock, Receiver> factory) {
    this.path = path;
    this.sourceName = sourceName;
    this.secretKey = secretKey;
    this.factory = factory;
  }

  /** Where it is mounted; a path ending in {@code /} takes a token as its last segment. */
  public String path() {
    return path;
  }

  /** Its name in hints, logs and the {@code source} label of metrics; the receiver's too. */
  public String sourceName() {
    return sourceName;
  }

  /**
   * The key of its secret in the Secret {@code freshet-webhook}. Only the generic form's differs
   * from the source name ({@code hmac}); it is kept because installed Secrets use it.
   */
  public String secretKey() {
    return secretKey;
  }

  /**
   * A new receiver checking requests against {@code secret}. Sources that remember deliveries
   * (replay, re-delivery) get a fresh memory, long enough for the sender's re-delivery habits: 15
   * minutes for the generic form's ±5-minute window, a day for GitHub and CloudEvents ids.
   */
  public Receiver receiver(Secret secret, Clock clock) {
    return factory.apply(secret, clock);
  }

  private static SeenCache seen(Clock clock, Duration remember) {
    return new SeenCache(clock, remember, REMEMBER_AT_MOST);
  }
}
