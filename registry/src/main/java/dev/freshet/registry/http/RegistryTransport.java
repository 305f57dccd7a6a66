package dev.freshet.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.RegistryListener;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.UnreachableException;
import dev.freshet.registry.auth.Authenticator;
import dev.freshet.registry.auth.Challenge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Sends registry calls politely and turns every outcome into a value or a typed error: answers auth
 * challenges, waits out Retry-After, retries 5xx and timeouts with backoff, caps bodies, and reports
 * what it sees to the {@link RegistryListener}.
 */
public final class RegistryTransport {
  /** How the transport behaves; {@code Resolver.Builder} fills it with documented defaults. */
  public record Settings(
      Duration requestTimeout,
      int maxAttempts,
      Backoff backoff,
      Duration maxInlineWait,
      Duration defaultRetryAfter,
      Duration maxRetryAfter,
      int maxInFlightPerRegistry,
      long budgetReserve,
      Set<String> insecureRegistries,
      boolean plainHttpForLoopback) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ERROR_BODY_LIMIT = 16 * 1024;
  private static final int MAX_REDIRECTS = 3;

  private final HttpClient http;
  private final Settings settings;
  private final Authenticator authenticator;
  private final RegistryListener listener;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ConcurrentMap<String, RegistryGate> gates = new ConcurrentHashMap<>();

  public RegistryTransport(
      HttpClient http,
      Settings settings,
      Authenticator authenticator,
      RegistryListener listener,
      Clock clock,
      Sleeper sleeper) {
    this.http = http;
    this.settings = settings;
    this.authenticator = authenticator;
    this.listener = listener;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * {@code scheme://host/v2/} for a registry: https, unless the host is loopback (and loopback may be
   * plain) or the registry is configured as insecure (credentials never cross the network in clear text otherwise).
   */
  public URI apiBase(String registry) {
    String host = RegistryHosts.apiHost(registry);
    return URI.create((allowsPlainHttp(registry) ? "http" : "https") + "://" + host + "/v2/");
  }

  /** Whether this host (registry or token realm) may be spoken to without TLS. */
  public boolean allowsPlainHttp(String hostAndPort) {
    return (settings.plainHttpForLoopback() && RegistryHosts.isLoopback(hostAndPort))
        || settings.insecureRegistries().contains(hostAndPort)
        || settings.insecureRegistries().contains(RegistryHosts.apiHost(hostAndPort));
  }

  public RegistryResponse send(RegistryCall original) {
    RegistryCall call = original;
    RegistryGate gate = gateFor(call.registry());
    Optional<String> authorization =
        authenticator.preemptive(call.registry(), call.scope(), call.credential());
    boolean answeredChallenge = false;
    int attempt = 0;
    int redirects = 0;
    while (true) {
      attempt++;
      gate.awaitTurn(call.priority(), settings.maxInlineWait(), sleeper);
      Instant sentAt = clock.instant();
      Exchange exchange;
      try {
        Optional<String> auth = authorization;
        RegistryCall current = call;
        exchange = gate.withSlot(() -> exchange(current, auth));
      } catch (IOException e) {
        Optional<SSLException> tls = tlsFailure(e);
        if (tls.isPresent()) {
          // A certificate problem does not heal by retrying; it needs a CA bundle or a fixed server.
          throw new UnreachableException(
              call.registry(),
              "TLS with " + call.uri().getAuthority() + " failed: " + tls.get().getMessage()
                  + " (if the registry uses a private CA, configure its CA bundle)",
              e);
        }
        if (attempt >= settings.maxAttempts()) {
          throw new UnreachableException(
              call.registry(),
              call.registry() + " could not be reached after " + attempt + " attempts: " + e,
              e);
        }
        backOff(call, attempt, e.toString());
        continue;
      }
      Instant receivedAt = clock.instant();
      int status = exchange.status();
      listener.onResponse(
          call.registry(), call.method(), status, Duration.between(sentAt, receivedAt));
      Optional<RateLimitBudget> budget =
          RateLimitBudget.fromHeaders(exchange.response().headers(), receivedAt);
      if (budget.isPresent()) {
        gate.observe(budget.get());
        listener.onRateLimitBudget(call.registry(), budget.get());
      }

      if (status >= 200 && status < 300) {
        return new RegistryResponse(
            status, exchange.response().headers(), exchange.body(), exchange.response().uri());
      }
      Optional<String> location = exchange.response().headers().firstValue("Location");
      if (isRedirect(status) && location.isPresent() && redirects < MAX_REDIRECTS) {
        URI target = followable(call, location.get());
        if (!sameOrigin(target, call.uri())) {
          // Blob storage behind a registry signs its own URLs and rejects (or would collect) our
          // registry token: a redirect to another host goes there without credentials.
          authorization = Optional.empty();
          answeredChallenge = true;
        }
        call = withUri(call, target);
        redirects++;
        attempt--;
        continue;
      }
      if (status == 401 && !answeredChallenge) {
        List<Challenge> challenges = new ArrayList<>();
        exchange.response().headers().allValues("WWW-Authenticate")
            .forEach(h -> challenges.addAll(Challenge.parseAll(h)));
        authorization =
            Optional.of(
                authenticator.answer(call.registry(), challenges, call.scope(), call.credential()));
        answeredChallenge = true;
        attempt--; // answering a challenge is not a failed attempt
        continue;
      }
      Optional<String> retryAfter = exchange.response().headers().firstValue("Retry-After");
      if (status == 429 || (status == 503 && retryAfter.isPresent())) {
        Instant until = retryDeadline(retryAfter, receivedAt);
        gate.blockUntil(until);
        listener.onThrottled(call.registry(), until);
        if (attempt >= settings.maxAttempts()) {
          throw new RateLimitedException(
              call.registry(),
              until,
              call.registry() + " answered " + status + " (too many requests); retry after " + until);
        }
        continue; // awaitTurn waits for the deadline, or throws if it is too far away
      }
      String detail = describe(call, status, exchange.body());
      if (status >= 500) {
        if (attempt >= settings.maxAttempts()) {
          throw new UnreachableException(
              call.registry(), detail + " (gave up after " + attempt + " attempts)");
        }
        backOff(call, attempt, "HTTP " + status);
        continue;
      }
      throw switch (status) {
        case 401 -> new UnauthorizedException(call.registry(), detail);
        case 403 -> new UnauthorizedException(call.registry(), detail);
        case 404 -> new NotFoundException(call.registry(), detail);
        default -> new InvalidResponseException(call.registry(), detail);
      };
    }
  }

  private static Optional<SSLException> tlsFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException tls) {
        return Optional.of(tls);
      }
    }
    return Optional.empty();
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private URI followable(RegistryCall call, String location) {
    URI target;
    try {
      target = call.uri().resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(call.registry(), "unusable redirect to " + location);
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    boolean allowed =
        scheme.equals("https") || (scheme.equals("http") && allowsPlainHttp(target.getAuthority()));
    if (!allowed || target.getHost() == null) {
      throw new InvalidResponseException(
          call.registry(), call.uri() + " redirected to " + target + ", which we do not follow");
    }
    return target;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private static RegistryCall withUri(RegistryCall call, URI uri) {
    return new RegistryCall(
        call.registry(),
        call.method(),
        uri,
        call.accept(),
        call.scope(),
        call.credential(),
        call.priority(),
        call.bodyLimit());
  }

  private Instant retryDeadline(Optional<String> retryAfter, Instant now) {
    Instant until =
        retryAfter
            .flatMap(v -> RetryAfter.parse(v, now))
            .orElse(now.plus(settings.defaultRetryAfter()));
    Instant latest = now.plus(settings.maxRetryAfter());
    return until.isAfter(latest) ? latest : until;
  }

  private void backOff(RegistryCall call, int attempt, String cause) {
    Duration delay =
        settings.backoff().delay(attempt, bound -> ThreadLocalRandom.current().nextLong(bound));
    listener.onRetry(call.registry(), attempt, cause, delay);
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(call.registry(), "interrupted while backing off", e);
    }
  }

  private record Exchange(HttpResponse<byte[]> response, byte[] body) {
    int status() {
      return response.statusCode();
    }
  }

  /**
   * One HTTP exchange, headers and body within {@code requestTimeout} together: HttpClient's own
   * timeout stops at the headers, and a registry that trickles its body must not hold a poller
   * thread.
   */
  private Exchange exchange(RegistryCall call, Optional<String> authorization) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(settings.requestTimeout())
            .method(call.method(), HttpRequest.BodyPublishers.noBody());
    if (!call.accept().isEmpty()) {
      request.header("Accept", String.join(", ", call.accept()));
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    HttpResponse.BodyHandler<byte[]> body =
        call.method().equals("HEAD")
            ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
            : CappedBody.handler(call.bodyLimit(), ERROR_BODY_LIMIT);
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request.build(), body);
    try {
      HttpResponse<byte[]> response =
          pending.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return new Exchange(response, response.body());
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException(
          call.method() + " " + call.uri() + " timed out after " + settings.requestTimeout());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new UnreachableException(call.registry(), "interrupted while calling " + call.uri(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CappedBody.TooLarge tooLarge) {
        throw tooLarge(call, tooLarge.getMessage());
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  private static InvalidResponseException tooLarge(RegistryCall call, String size) {
    return new InvalidResponseException(
        call.registry(),
        call.method() + " " + call.uri() + " returned " + size + "; the limit is " + call.bodyLimit());
  }

  /** "GET …/manifests/v1 answered 404: MANIFEST_UNKNOWN manifest unknown" — for conditions. */
  private static String describe(RegistryCall call, int status, byte[] body) {
    StringBuilder text =
        new StringBuilder(call.method()).append(' ').append(call.uri()).append(" answered ").append(status);
    try {
      JsonNode errors = body.length == 0 ? null : JSON.readTree(body).get("errors");
      if (errors != null && errors.isArray() && errors.size() > 0) {
        JsonNode first = errors.get(0);
        text.append(": ").append(first.path("code").asText("")).append(' ');
        text.append(first.path("message").asText(""));
      }
    } catch (IOException | RuntimeException e) {
      // not the registry's JSON error format; the status says enough
    }
    return text.toString().trim();
  }

  /** The budget this registry published last (Docker Hub's ratelimit headers), if any. */
  public Optional<RateLimitBudget> budget(String registry) {
    RegistryGate gate = gates.get(registry);
    return gate == null ? Optional.empty() : gate.budget();
  }

  private RegistryGate gateFor(String registry) {
    return gates.computeIfAbsent(
        registry,
        r -> new RegistryGate(r, settings.maxInFlightPerRegistry(), settings.budgetReserve(), clock));
  }
}
