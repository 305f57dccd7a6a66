package dev.freshet.receive.server;

import dev.freshet.receive.Receiver;
import dev.freshet.receive.auth.GoogleOidcToken;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.AcrReceiver;
import dev.freshet.receive.sources.ArtifactRegistryReceiver;
import dev.freshet.receive.sources.CloudEventsReceiver;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.receive.sources.DockerHubReceiver;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.receive.sources.GitHubReceiver;
import dev.freshet.receive.sources.HarborReceiver;
import dev.freshet.receive.sources.QuayReceiver;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

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
      (secret, clock) -> new CloudEventsReceiver(secret, seen(clock, Duration.ofHours(24)))),
  /**
   * Google Artifact Registry through a Pub/Sub push subscription: not one secret but the token's
   * expected audience and service account, and optionally where the issuer's keys are.
   */
  GAR(
      Routes.GAR,
      "gar",
      List.of("gar-audience", "gar-email"),
      List.of("gar-jwks-url"),
      (settings, clock) ->
          new ArtifactRegistryReceiver(
              new GoogleOidcToken(
                  settings.apply("gar-audience").orElseThrow(),
                  settings.apply("gar-email").orElseThrow(),
                  settings
                      .apply("gar-jwks-url")
                      .map(URI::create)
                      .orElse(GoogleOidcToken.GOOGLE_JWKS),
                  clock)));

  /** Per source; a sender cannot make Freshet remember more than this many deliveries. */
  private static final int REMEMBER_AT_MOST = 100_000;

  private final String path;
  private final String sourceName;
  private final List<String> requiredKeys;
  private final List<String> optionalKeys;
  private final BiFunction<Secret, Clock, Receiver> secretFactory;
  private final BiFunction<Function<String, Optional<String>>, Clock, Receiver> factory;

  /** A source authenticated by one secret, under one key. */
  Source(
      String path,
      String sourceName,
      String secretKey,
      BiFunction<Secret, Clock, Receiver> secretFactory) {
    this.path = path;
    this.sourceName = sourceName;
    this.requiredKeys = List.of(secretKey);
    this.optionalKeys = List.of();
    this.secretFactory = secretFactory;
    this.factory =
        (settings, clock) ->
            secretFactory.apply(Secret.of(settings.apply(secretKey).orElseThrow()), clock);
  }

  /** A source configured by several keys of the Secret. */
  Source(
      String path,
      String sourceName,
      List<String> requiredKeys,
      List<String> optionalKeys,
      BiFunction<Function<String, Optional<String>>, Clock, Receiver> factory) {
    this.path = path;
    this.sourceName = sourceName;
    this.requiredKeys = List.copyOf(requiredKeys);
    this.optionalKeys = List.copyOf(optionalKeys);
    this.secretFactory = null;
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
    return requiredKeys.get(0);
  }

  /** The keys of the Secret that must all be set for the source to be mounted. */
  public List<String> requiredKeys() {
    return requiredKeys;
  }

  /** Keys that may be set, with a default otherwise. */
  public List<String> optionalKeys() {
    return optionalKeys;
  }

  /**
   * A new receiver checking requests against {@code secret}. Sources that remember deliveries
   * (replay, re-delivery) get a fresh memory, long enough for the sender's re-delivery habits: 15
   * minutes for the generic form's ±5-minute window, a day for GitHub and CloudEvents ids.
   */
  public Receiver receiver(Secret secret, Clock clock) {
    if (secretFactory == null) {
      throw new IllegalStateException(
          sourceName + " is configured by the keys " + requiredKeys + ", not one secret");
    }
    return secretFactory.apply(secret, clock);
  }

  /**
   * A new receiver configured from the Secret's values ({@code settings} gives a key's value, empty
   * when it is unset or blank), or empty when a required key is missing: that source is then not
   * enabled.
   *
   * @throws IllegalArgumentException if a value is unusable (a JWKS URL that is not a URL)
   */
  public Optional<Receiver> receiver(Function<String, Optional<String>> settings, Clock clock) {
    for (String key : requiredKeys) {
      if (settings.apply(key).filter(v -> !v.isBlank()).isEmpty()) {
        return Optional.empty();
      }
    }
    Function<String, Optional<String>> nonBlank =
        key -> settings.apply(key).filter(v -> !v.isBlank());
    return Optional.of(factory.apply(nonBlank, clock));
  }

  private static SeenCache seen(Clock clock, Duration remember) {
    return new SeenCache(clock, remember, REMEMBER_AT_MOST);
  }
}
