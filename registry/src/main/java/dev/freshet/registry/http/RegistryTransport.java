package dev.freshet.registry.http;

import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.RegistryListener;
import dev.freshet.registry.UnreachableException;
import dev.freshet.registry.auth.Authenticator;
import dev.freshet.registry.auth.Challenge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Sends registry calls politely and turns every outcome into a value or a typed error: answers auth
 * challenges, waits out Retry-After, retries 5xx and timeouts with backoff, caps bodies, and
 * reports what it sees to the {@link RegistryListener}.
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

  private static final int MAX_REDIRECTS = 3;

  private final HttpExchanger exchanger;
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
    this.exchanger = new HttpExchanger(http, settings.requestTimeout());
    this.settings = settings;
    this.authenticator = authenticator;
    this.listener = listener;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * {@code scheme://host/v2/} for a registry: https, unless the host is loopback (and loopback may
   * be plain) or the registry is configured as insecure (credentials never cross the network in
   * clear text otherwise).
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
      HttpExchanger.Exchange exchange;
      try {
        Optional<String> auth = authorization;
        RegistryCall current = call;
        exchange = gate.withSlot(() -> exchanger.exchange(current, auth));
      } catch (IOException e) {
        Optional<SSLException> tls = tlsFailure(e);
        if (tls.isPresent()) {
          // A certificate problem does not heal by retrying; it needs a CA bundle or a fixed
          // server.
          throw new UnreachableException(
              call.registry(),
              "TLS with "
                  + call.uri().getAuthority()
                  + " failed: "
                  + tls.get().getMessage()
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
      if (Redirects.isRedirect(status) && location.isPresent() && redirects < MAX_REDIRECTS) {
        URI target = Redirects.target(call, location.get(), this::allowsPlainHttp);
        if (!Redirects.sameOrigin(target, call.uri())) {
          // Blob storage behind a registry signs its own URLs and rejects (or would collect) our
          // registry token: a redirect to another host goes there without credentials.
          authorization = Optional.empty();
          answeredChallenge = true;
        }
        call = call.withUri(target);
        redirects++;
        attempt--;
        continue;
      }
      if (status == 401 && !answeredChallenge) {
        List<Challenge> challenges = new ArrayList<>();
        exchange
            .response()
            .headers()
            .allValues("WWW-Authenticate")
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
              call.registry()
                  + " answered "
                  + status
                  + " (too many requests); retry after "
                  + until);
        }
        continue; // awaitTurn waits for the deadline, or throws if it is too far away
      }
      if (status >= 500 && attempt < settings.maxAttempts()) {
        backOff(call, attempt, "HTTP " + status);
        continue;
      }
      throw ErrorResponses.toException(call, status, exchange.body(), attempt);
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

  /** The budget this registry published last (Docker Hub's ratelimit headers), if any. */
  public Optional<RateLimitBudget> budget(String registry) {
    RegistryGate gate = gates.get(registry);
    return gate == null ? Optional.empty() : gate.budget();
  }

  private RegistryGate gateFor(String registry) {
    return gates.computeIfAbsent(
        registry,
        r ->
            new RegistryGate(
                r, settings.maxInFlightPerRegistry(), settings.budgetReserve(), clock));
  }
}
