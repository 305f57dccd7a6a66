package dev.freshet.receive.server;

import dev.freshet.receive.Receiver;
import dev.freshet.receive.auth.GoogleOidcToken;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.auth.oidc.OidcPolicy;
import dev.freshet.receive.auth.oidc.PipelineTokens;
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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The route table: every webhook source with its path, its name (in hints, logs and metric labels),
 * the key of its secret in the operator's Secret, and how to build its receiver from that secret.
 * {@link StandardReceivers} and the operator's endpoint both mount from here, so a source has one
 * name everywhere.
 */
public enum Source {
  /**
   * Freshet's own form: HMAC-signed with key {@code hmac}, or carrying a CI job's OIDC token
   * checked against the policy in key {@code oidc}; either key enables it. A bad {@code oidc}
   * beside a good {@code hmac} is reported and leaves the HMAC form working.
   */
  GENERIC(
      Routes.GENERIC,
      "generic",
      List.of(),
      List.of("hmac", "oidc"),
      List.of(),
      (secret, clock) -> new GenericReceiver(secret, clock, genericSignatures(clock)),
      Source::generic),
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
      List.of(),
      List.of("gar-jwks-url"),
      null,
      (settings, clock, problems) ->
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
  private final List<String> anyOfKeys;
  private final List<String> optionalKeys;
  private final BiFunction<Secret, Clock, Receiver> secretFactory;
  private final Factory factory;

  /** Builds a receiver from the Secret's values; reports what it had to leave out. */
  @FunctionalInterface
  private interface Factory {
    Receiver build(
        Function<String, Optional<String>> settings, Clock clock, Consumer<String> problems);
  }

  /** A source authenticated by one secret, under one key. */
  Source(
      String path,
      String sourceName,
      String secretKey,
      BiFunction<Secret, Clock, Receiver> secretFactory) {
    this.path = path;
    this.sourceName = sourceName;
    this.requiredKeys = List.of(secretKey);
    this.anyOfKeys = List.of();
    this.optionalKeys = List.of();
    this.secretFactory = secretFactory;
    this.factory =
        (settings, clock, problems) ->
            secretFactory.apply(Secret.of(settings.apply(secretKey).orElseThrow()), clock);
  }

  /**
   * A source configured by several keys of the Secret: all of {@code requiredKeys}, at least one of
   * {@code anyOfKeys} when there are some.
   */
  Source(
      String path,
      String sourceName,
      List<String> requiredKeys,
      List<String> anyOfKeys,
      List<String> optionalKeys,
      BiFunction<Secret, Clock, Receiver> secretFactory,
      Factory factory) {
    this.path = path;
    this.sourceName = sourceName;
    this.requiredKeys = List.copyOf(requiredKeys);
    this.anyOfKeys = List.copyOf(anyOfKeys);
    this.optionalKeys = List.copyOf(optionalKeys);
    this.secretFactory = secretFactory;
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
    return requiredKeys.isEmpty() ? anyOfKeys.get(0) : requiredKeys.get(0);
  }

  /** The keys of the Secret that must all be set for the source to be mounted. */
  public List<String> requiredKeys() {
    return requiredKeys;
  }

  /** Keys of which at least one must be set for the source to be mounted (none: no such rule). */
  public List<String> anyOfKeys() {
    return anyOfKeys;
  }

  /** The keys that enable it, in words: {@code hmac or oidc}, {@code gar-audience, gar-email}. */
  public String enablingKeys() {
    return requiredKeys.isEmpty()
        ? String.join(" or ", anyOfKeys)
        : String.join(", ", requiredKeys);
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
          sourceName + " is configured by the keys " + enablingKeys() + ", not one secret");
    }
    return secretFactory.apply(secret, clock);
  }

  /**
   * A new receiver configured from the Secret's values ({@code settings} gives a key's value, empty
   * when it is unset or blank), or empty when a required key is missing: that source is then not
   * enabled.
   *
   * @throws IllegalArgumentException if a value is unusable (a JWKS URL that is not a URL), or one
   *     the source could do without is (an {@code oidc} policy beside an {@code hmac} secret)
   */
  public Optional<Receiver> receiver(Function<String, Optional<String>> settings, Clock clock) {
    return receiver(
        settings,
        clock,
        problem -> {
          throw new IllegalArgumentException(problem);
        });
  }

  /**
   * The same, but a value the source can do without is reported to {@code problems} and left out,
   * so that one bad key does not disable what the others enable.
   *
   * @throws IllegalArgumentException if a value the source cannot do without is unusable
   */
  public Optional<Receiver> receiver(
      Function<String, Optional<String>> settings, Clock clock, Consumer<String> problems) {
    Function<String, Optional<String>> nonBlank =
        key -> settings.apply(key).filter(v -> !v.isBlank());
    for (String key : requiredKeys) {
      if (nonBlank.apply(key).isEmpty()) {
        return Optional.empty();
      }
    }
    if (!anyOfKeys.isEmpty() && anyOfKeys.stream().allMatch(key -> nonBlank.apply(key).isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(factory.build(nonBlank, clock, problems));
  }

  /**
   * The generic form from keys {@code hmac} and {@code oidc}. A bad policy is reported; it disables
   * the source only when there is no HMAC secret to fall back on.
   */
  private static Receiver generic(
      Function<String, Optional<String>> settings, Clock clock, Consumer<String> problems) {
    Optional<Secret> hmac = settings.apply("hmac").map(Secret::of);
    Optional<PipelineTokens> pipelines = Optional.empty();
    Optional<String> policy = settings.apply("oidc");
    if (policy.isPresent()) {
      try {
        pipelines = Optional.of(new PipelineTokens(OidcPolicy.parse(policy.get()), clock));
      } catch (IllegalArgumentException e) {
        String problem = "key oidc is invalid, OIDC tokens are refused: " + e.getMessage();
        if (hmac.isEmpty()) {
          throw new IllegalArgumentException(problem, e);
        }
        problems.accept(problem);
      }
    }
    return new GenericReceiver(hmac, pipelines, clock, genericSignatures(clock));
  }

  /** 15 minutes covers the generic form's ±5-minute window on both sides. */
  private static SeenCache genericSignatures(Clock clock) {
    return seen(clock, Duration.ofMinutes(15));
  }

  private static SeenCache seen(Clock clock, Duration remember) {
    return new SeenCache(clock, remember, REMEMBER_AT_MOST);
  }
}
