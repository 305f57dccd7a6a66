package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.RegistryListener;
import dev.freshet.registry.auth.Authenticator;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.auth.DockerConfig;
import dev.freshet.registry.auth.TokenCache;
import dev.freshet.registry.auth.TokenService;
import dev.freshet.registry.http.Backoff;
import dev.freshet.registry.http.RegistryTransport;
import dev.freshet.registry.http.Sleeper;
import dev.freshet.registry.http.TrustBundle;
import dev.freshet.registry.signature.SignatureEnvelope;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The registry client: tag → digest, a manifest's platforms, and tag listing, for any OCI/Docker
 * registry. One instance per process: it holds the per-registry politeness state (in-flight limits,
 * Retry-After deadlines, rate-limit budgets) and the token cache. Thread-safe; calls block.
 *
 * <p>Every failure is a {@link RegistryException} subtype: {@code UnauthorizedException}, {@code
 * NotFoundException}, {@code RateLimitedException} (with {@code retryAt()}), {@code
 * UnreachableException}, {@code InvalidResponseException}.
 */
public final class Resolver {
  private final DigestResolver digests;
  private final ManifestReader manifests;
  private final TagLister tags;
  private final SignatureReader signatures;
  private final RegistryTransport transport;

  private Resolver(RegistryTransport transport, int tagPageSize, boolean confirmDeclaredDigests) {
    this.transport = transport;
    this.digests =
        new DigestResolver(
            transport,
            confirmDeclaredDigests
                ? Optional.of(new ConfirmedDigests(ConfirmedDigests.DEFAULT_CAPACITY))
                : Optional.empty());
    this.manifests = new ManifestReader(transport);
    this.tags = new TagLister(transport, tagPageSize);
    this.signatures = new SignatureReader(transport);
  }

  /**
   * The request budget this registry published last ({@code ratelimit-limit}/{@code -remaining}),
   * for status and metrics; empty until it has sent one.
   */
  public Optional<RateLimitBudget> rateLimitBudget(String registry) {
    return transport.budget(registry);
  }

  /** The transport underneath; for tests of its scheme rules. */
  RegistryTransport transport() {
    return transport;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The digest the reference's tag (or {@code latest}) points at now; for a multi-arch image, the
   * index digest. A reference that already has a digest is checked against the registry.
   */
  public ResolvedImage resolve(ImageReference ref, Optional<Credential> credential) {
    return digests.resolve(ref, credential, Priority.ESSENTIAL);
  }

  /** {@link #resolve(ImageReference, Optional)} with the credential the pull secrets give. */
  public ResolvedImage resolve(ImageReference ref, DockerConfig pullSecrets) {
    return resolve(ref, pullSecrets.credentialFor(ref.registry()));
  }

  /** The manifest or index the reference names, with the platforms it runs on. */
  public ImageManifest manifest(
      ImageReference ref, Optional<Credential> credential, Priority priority) {
    return manifests.read(ref, credential, priority);
  }

  public ImageManifest manifest(ImageReference ref, DockerConfig pullSecrets) {
    return manifest(ref, pullSecrets.credentialFor(ref.registry()), Priority.BACKGROUND);
  }

  /** Every tag of the reference's repository, across all pages, in the registry's order. */
  public List<String> listTags(
      ImageReference ref, Optional<Credential> credential, Priority priority) {
    return tags.list(ref, credential, priority);
  }

  public List<String> listTags(ImageReference ref, DockerConfig pullSecrets) {
    return listTags(ref, pullSecrets.credentialFor(ref.registry()), Priority.BACKGROUND);
  }

  /**
   * The cosign signatures the registry holds for {@code digest} in the reference's repository,
   * unverified: the {@code .sig} tag, OCI referrers, and the referrers tag schema. Empty when there
   * are none.
   */
  public List<SignatureEnvelope> signatures(
      ImageReference repository, Digest digest, Optional<Credential> credential) {
    return signatures.read(repository, digest, credential);
  }

  /** Settings with defaults that suit an operator polling a few hundred images. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(20);
    private int maxAttempts = 4;
    private Duration backoffInitial = Duration.ofMillis(500);
    private Duration backoffMax = Duration.ofSeconds(10);
    private Duration maxInlineWait = Duration.ofSeconds(10);
    private Duration defaultRetryAfter = Duration.ofSeconds(60);
    private Duration maxRetryAfter = Duration.ofHours(6);
    private int maxInFlightPerRegistry = 4;
    private long budgetReserve = 10;
    private int tagPageSize = 1000;
    private final Set<String> insecureRegistries = new HashSet<>();
    private boolean plainHttpForLoopback = true;
    private boolean confirmDeclaredDigests = false;
    private SSLContext sslContext;
    private RegistryListener listener = RegistryListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.THREAD;

    private Builder() {}

    /** TCP connect timeout (default 5 s). */
    public Builder connectTimeout(Duration value) {
      connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** Time from sending a request until its response headers arrive (default 20 s). */
    public Builder requestTimeout(Duration value) {
      requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /** Attempts per call for timeouts, 5xx and 429 (default 4); auth challenges do not count. */
    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      maxAttempts = value;
      return this;
    }

    /** Exponential backoff between attempts (default 0.5 s doubling up to 10 s, with jitter). */
    public Builder backoff(Duration initial, Duration max) {
      new Backoff(initial, max); // validates
      backoffInitial = initial;
      backoffMax = max;
      return this;
    }

    /**
     * The longest a call waits on its own thread for a registry's Retry-After deadline (default 10
     * s); a later deadline fails the call at once with {@code RateLimitedException}.
     */
    public Builder maxInlineWait(Duration value) {
      maxInlineWait = Objects.requireNonNull(value);
      return this;
    }

    /** Assumed for a 429 without a readable Retry-After (default 60 s). */
    public Builder defaultRetryAfter(Duration value) {
      defaultRetryAfter = positive(value, "defaultRetryAfter");
      return this;
    }

    /** Caps a registry's Retry-After, so one odd header cannot stall us for days (default 6 h). */
    public Builder maxRetryAfter(Duration value) {
      maxRetryAfter = positive(value, "maxRetryAfter");
      return this;
    }

    /**
     * Whether a digest a {@code HEAD} declares for a tag is believed only after a {@code GET} by
     * that digest returned bytes that hash to it (default false). One {@code GET} per new digest
     * and repository; an operator that pins what it resolves turns it on, so a registry or proxy
     * that declares a wrong digest cannot have it pin an image that does not exist.
     */
    public Builder confirmDeclaredDigests(boolean value) {
      confirmDeclaredDigests = value;
      return this;
    }

    /** Requests in flight to one registry at a time (default 4). */
    public Builder maxInFlightPerRegistry(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxInFlightPerRegistry must be at least 1");
      }
      maxInFlightPerRegistry = value;
      return this;
    }

    /**
     * When a registry publishes its remaining budget (Docker Hub's {@code ratelimit-remaining}),
     * background requests stop while this many or fewer remain (default 10).
     */
    public Builder budgetReserve(long value) {
      budgetReserve = value;
      return this;
    }

    /** The {@code n} asked for per tag-list page (default 1000; registries may send fewer). */
    public Builder tagPageSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("tagPageSize must be at least 1");
      }
      tagPageSize = value;
      return this;
    }

    /**
     * A registry ({@code host[:port]}) spoken to over plain HTTP. Loopback hosts always are; every
     * other registry needs TLS unless named here.
     */
    public Builder insecureRegistry(String hostAndPort) {
      insecureRegistries.add(hostAndPort);
      return this;
    }

    /**
     * Whether registries on loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) are
     * spoken to over plain HTTP (default true: local development registries rarely have TLS). False
     * when a loopback address leads to a TLS registry, e.g. through a port-forward.
     */
    public Builder plainHttpForLoopback(boolean value) {
      plainHttpForLoopback = value;
      return this;
    }

    /** Trusts the certificates in this PEM file in addition to the JVM's roots. */
    public Builder trustedCertificates(Path pemFile) {
      sslContext = TrustBundle.sslContext(pemFile);
      return this;
    }

    public Builder sslContext(SSLContext value) {
      sslContext = Objects.requireNonNull(value);
      return this;
    }

    public Builder listener(RegistryListener value) {
      listener = Objects.requireNonNull(value);
      return this;
    }

    /**
     * The clock for token expiry, deadlines and budgets. Waits sleep until this clock shows the
     * deadline, so it must advance in real time whenever a registry can throttle us.
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /** How the client waits (backoff, Retry-After); replaceable for tests. */
    public Builder sleeper(Sleeper value) {
      sleeper = Objects.requireNonNull(value);
      return this;
    }

    public Resolver build() {
      HttpClient.Builder http =
          HttpClient.newBuilder()
              .connectTimeout(connectTimeout)
              // Redirects are followed by the transport, which drops credentials across hosts.
              .followRedirects(HttpClient.Redirect.NEVER)
              .version(HttpClient.Version.HTTP_1_1);
      if (sslContext != null) {
        http.sslContext(sslContext);
      }
      HttpClient client = http.build();
      RegistryTransport.Settings settings =
          new RegistryTransport.Settings(
              requestTimeout,
              maxAttempts,
              new Backoff(backoffInitial, backoffMax),
              maxInlineWait,
              defaultRetryAfter,
              maxRetryAfter,
              maxInFlightPerRegistry,
              budgetReserve,
              Set.copyOf(insecureRegistries),
              plainHttpForLoopback);
      // The realm check needs the transport's scheme rule, and the transport needs the
      // authenticator: a holder breaks the cycle.
      RegistryTransport[] holder = new RegistryTransport[1];
      TokenService tokens =
          new TokenService(
              client, clock, requestTimeout, uri -> holder[0].allowsPlainHttp(uri.getAuthority()));
      Authenticator authenticator = new Authenticator(tokens, new TokenCache(clock));
      holder[0] = new RegistryTransport(client, settings, authenticator, listener, clock, sleeper);
      return new Resolver(holder[0], tagPageSize, confirmDeclaredDigests);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
