package dev.freshet.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.it.RunningOperator;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.poll.TagChooser;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.http.Backoff;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.testbed.Figures;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import dev.freshet.testbed.faults.Fault;
import dev.freshet.testbed.faults.FaultyRegistry;
import dev.freshet.testbed.faults.SeenRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A registry that misbehaves in each of the ways a real one does — 5xx, connection resets, requests
 * never answered, bodies dripped slower than the timeout, 429 with Retry-After in seconds, as an
 * HTTP-date and without it, a Docker-Content-Digest that does not match the manifest, huge and
 * malformed manifests, a failing token service — never gets a wrong digest pinned: each App keeps
 * the digest it runs, its UpToDate condition and an Event name the failure, the retries keep the
 * backoff and the Retry-After the registry asked for (measured at the proxy), and once the fault
 * clears the next poll pins the push made meanwhile, with no help. The registry is the testbed's
 * real one; a {@link FaultyRegistry} per fault sits in front of it (one each, because politeness
 * towards a registry — its Retry-After, its in-flight limit — is per host).
 */
@WithTestbed
class RegistryFaultsIT {
  /** Short, so a timeout costs little wall time; the production default is 20 s. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** For a 429 without Retry-After; the production default is 60 s. */
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(3);

  /** The transport's default backoff between attempts, which the gaps are checked against. */
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

  private static final int ATTEMPTS = 4;

  /** Beyond the delay asked for: scheduling and a loaded 2-core machine. Lower bounds are exact. */
  private static final Duration SLACK = Duration.ofMillis(1500);

  /** One fault, the App that meets it, and what the proxy must have seen. */
  private record Case(
      String name,
      Fault fault,
      String method,
      String path,
      String reason,
      String message,
      Consumer<List<SeenRequest>> gaps) {}

  @Test
  void noFaultPinsAWrongDigestEachIsReportedRetriesKeepTheirPaceAndRecoveryNeedsNoHelp(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Instant started = Instant.now();
    List<Case> cases =
        List.of(
            new Case(
                "e503",
                Fault.status(503),
                null,
                "/manifests/",
                "RegistryUnreachable",
                "answered 503 (gave up after 4 attempts)",
                RegistryFaultsIT::backoffGaps),
            new Case(
                "reset",
                Fault.connectionReset(),
                null,
                "/manifests/",
                "RegistryUnreachable",
                "could not be reached after 4 attempts",
                RegistryFaultsIT::resetGaps),
            new Case(
                "noanswer",
                Fault.noAnswer(Duration.ofSeconds(60)),
                null,
                "/manifests/",
                "RegistryUnreachable",
                "timed out after PT2S",
                RegistryFaultsIT::timeoutGaps),
            new Case(
                "drip",
                Fault.slowDrip(Duration.ofSeconds(6), 6),
                "GET",
                "/manifests/sha256:",
                "RegistryUnreachable",
                "timed out after PT2S",
                RegistryFaultsIT::timeoutGaps),
            new Case(
                "ra-seconds",
                Fault.tooManyRequests(Fault.RetryAfter.seconds(2)),
                null,
                "/manifests/",
                "RegistryRateLimited",
                "answered 429 (too many requests); retry after",
                RegistryFaultsIT::retryAfterGaps),
            new Case(
                "ra-date",
                Fault.tooManyRequests(Fault.RetryAfter.httpDate(Duration.ofSeconds(2))),
                null,
                "/manifests/",
                "RegistryRateLimited",
                "answered 429 (too many requests); retry after",
                RegistryFaultsIT::retryAfterGaps),
            new Case(
                "ra-none",
                Fault.tooManyRequests(),
                null,
                "/manifests/",
                "RegistryRateLimited",
                "answered 429 (too many requests); retry after",
                RegistryFaultsIT::defaultRetryAfterGaps),
            new Case(
                "wrongdigest",
                Fault.wrongDigest(),
                null,
                "/manifests/dev$",
                "RegistryInvalidResponse",
                "serves no manifest by that digest",
                r -> {}),
            new Case(
                "huge",
                Fault.hugeBody(8 * 1024 * 1024),
                null,
                "/manifests/",
                "RegistryInvalidResponse",
                "the limit is 4194304",
                r -> {}),
            new Case(
                "malformed",
                Fault.malformedBody(),
                null,
                "/manifests/",
                "RegistryInvalidResponse",
                "returned invalid JSON",
                r -> {}),
            new Case(
                "token",
                Fault.status(500),
                null,
                "^/token$",
                "RegistryUnreachable",
                "answered HTTP 500",
                r -> {}));

    Map<String, FaultyRegistry> proxies = new ConcurrentHashMap<>();
    Map<String, PushedImage> before = new ConcurrentHashMap<>();
    Map<String, PushedImage> after = new ConcurrentHashMap<>();
    Map<String, FaultyRegistry.Injection> injections = new LinkedHashMap<>();
    Resolver resolver =
        Resolver.builder()
            .confirmDeclaredDigests(true) // as the operator's wiring builds it
            .requestTimeout(REQUEST_TIMEOUT)
            .defaultRetryAfter(DEFAULT_RETRY_AFTER)
            .maxAttempts(ATTEMPTS)
            .build();
    Clock clock = Clock.systemUTC();
    var poller =
        new Poller(
            new RegistryResolution(
                resolver,
                new TagChooser(Platform.parse("linux/amd64"), clock),
                clock,
                RegistryHosts::isLoopback),
            clock,
            cases.size() + 1);
    try (var operator = RunningOperator.start(client, ns.name(), poller);
        var templates = TemplateRecorder.start(client, ns.name())) {
      // Proxies started and images pushed side by side: one after the other costs half a minute.
      inParallel(
          cases,
          c -> {
            FaultyRegistry proxy = FaultyRegistry.inFrontOf(testbed.registry());
            proxies.put(c.name(), proxy);
            if (c.name().equals("token")) {
              proxy.requireBearerTokens(true);
              // Short-lived, so every poll fetches a new one: the token service's failure shows at
              // the next poll instead of when a 5-minute token expires.
              proxy.tokenLifetime(Duration.ofSeconds(2));
            }
            before.put(c.name(), testbed.registry().pusher().push(repo(c.name(), ns), "dev"));
          });
      for (Case c : cases) {
        client
            .resource(app(c.name(), proxies.get(c.name()).reference(repo(c.name(), ns), "dev")))
            .create();
      }
      // A tracked Deployment shares the 503 App's image: the same check, fanned out to both.
      Deployment tracked =
          Workloads.deployment(
              "tracked", proxies.get("e503").reference(repo("e503", ns), "dev"), 1);
      tracked
          .getMetadata()
          .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s"));
      client.resource(tracked).create();

      await("every App pinned to its first digest through its proxy")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (Case c : cases) {
                  assertThat(image(client, c.name()))
                      .isEqualTo(pinned(proxies.get(c.name()), before.get(c.name())));
                }
                assertThat(image(client, "tracked"))
                    .isEqualTo(pinned(proxies.get("e503"), before.get("e503")));
              });
      Instant healthy = Instant.now();

      for (Case c : cases) {
        FaultyRegistry proxy = proxies.get(c.name());
        String path = c.path().startsWith("^") ? c.path() : "^/v2/" + repo(c.name(), ns) + c.path();
        injections.put(
            c.name(),
            c.method() == null
                ? proxy.inject(path, c.fault())
                : proxy.inject(c.method(), path, c.fault()));
      }
      inParallel(
          cases,
          c -> after.put(c.name(), testbed.registry().pusher().push(repo(c.name(), ns), "dev")));
      Instant faulted = Instant.now();

      // Each fault is cleared as soon as its App reports it, so it fails one check only and the
      // poller's next check (one doubled interval later) is the first after the fault.
      Map<String, Instant> clearedAt = new ConcurrentHashMap<>();
      List<AssertionError> errors = new CopyOnWriteArrayList<>();
      await("every App reports its fault")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                for (Case c : cases) {
                  if (!clearedAt.containsKey(c.name()) && reportsFault(client, c)) {
                    injections.get(c.name()).clear();
                    clearedAt.put(c.name(), Instant.now());
                    errors.addAll(checkWhileFaulted(client, c, proxies.get(c.name()), before));
                    if (c.name().equals("e503")
                        && !pinned(proxies.get("e503"), before.get("e503"))
                            .equals(image(client, "tracked"))) {
                      errors.add(new AssertionError("the tracked Deployment left its digest"));
                    }
                  }
                }
                return clearedAt.size() == cases.size();
              });
      Instant reported = Instant.now();
      errors.forEach(e -> System.out.println("FAILED " + e.getMessage()));
      assertThat(errors).as("what was wrong while faults were on").isEmpty();

      Map<String, Duration> recovered = new ConcurrentHashMap<>();
      await("every App pinned to the push made during its fault, by polling alone")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (Case c : cases) {
                  if (!recovered.containsKey(c.name())) {
                    assertThat(image(client, c.name()))
                        .as("%s after the fault cleared", c.name())
                        .isEqualTo(pinned(proxies.get(c.name()), after.get(c.name())));
                    recovered.put(
                        c.name(), Duration.between(clearedAt.get(c.name()), Instant.now()));
                  }
                }
                assertThat(image(client, "tracked"))
                    .isEqualTo(pinned(proxies.get("e503"), after.get("e503")));
                for (Case c : cases) {
                  assertThat(upToDate(client, c.name()).getStatus()).isEqualTo("True");
                }
              });

      for (Case c : cases) {
        FaultyRegistry proxy = proxies.get(c.name());
        List<String> named = templates.images("Deployment/" + c.name());
        // The Deployment is created with the declared tag before the registry has answered.
        List<String> pins = named.stream().filter(i -> i.contains("@")).toList();
        assertThat(pins)
            .as("every digest %s's template named", c.name())
            .containsExactly(
                pinned(proxy, before.get(c.name())), pinned(proxy, after.get(c.name())));
        assertThat(named.subList(0, named.size() - pins.size()))
            .as("what %s's template named before its first pin", c.name())
            .allMatch(i -> i.equals(proxy.reference(repo(c.name(), ns), "dev")));
      }
      assertThat(templates.watchFailures()).isEmpty();

      Map<String, Integer> injected = new LinkedHashMap<>();
      proxies
          .values()
          .forEach(p -> p.injectedByKind().forEach((k, v) -> injected.merge(k, v, Integer::sum)));
      System.out.println("faults injected by kind: " + injected);
      Map<String, Object> figures = new LinkedHashMap<>();
      injected.forEach((kind, count) -> figures.put("faults.registry-" + kind, count));
      // Each App rolled, after its fault cleared, to the push made while it was on.
      figures.put("rollouts", cases.size());
      Figures.write("RegistryFaultsIT", figures);
      System.out.println("recovered (fault cleared -> next push pinned), ms: " + millis(recovered));
      System.out.printf(
          "phases: healthy after %d ms, faults on %d ms later, all reported and cleared %d ms"
              + " after that, all recovered %d ms after that; whole test %d ms%n",
          Duration.between(started, healthy).toMillis(),
          Duration.between(healthy, faulted).toMillis(),
          Duration.between(faulted, reported).toMillis(),
          Duration.between(reported, Instant.now()).toMillis(),
          Duration.between(started, Instant.now()).toMillis());
    } finally {
      proxies.values().forEach(FaultyRegistry::close);
    }
  }

  private static void inParallel(List<Case> cases, Consumer<Case> task) {
    ExecutorService pool = Executors.newFixedThreadPool(cases.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      cases.forEach(c -> running.add(pool.submit(() -> task.accept(c))));
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("setting up the faults failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether the App's UpToDate condition and an Event name this case's fault. */
  private static boolean reportsFault(KubernetesClient client, Case c) {
    Condition upToDate = upToDate(client, c.name());
    return "False".equals(upToDate.getStatus())
        && c.reason().equals(upToDate.getReason())
        && upToDate.getMessage().contains(c.message())
        && events(client, c.name(), c.reason()).stream()
            .anyMatch(e -> e.getMessage().contains(c.message()));
  }

  /**
   * Right after an App reported its fault: it still runs the digest it ran before, its status names
   * no other, and the retries the proxy saw kept their pace. Returns what was wrong.
   */
  private static List<AssertionError> checkWhileFaulted(
      KubernetesClient client, Case c, FaultyRegistry proxy, Map<String, PushedImage> before) {
    List<AssertionError> errors = new ArrayList<>();
    List<SeenRequest> faulted =
        proxy.requests().stream().filter(r -> r.fault().isPresent()).toList();
    System.out.printf(
        "%-11s %-24s faulted requests: %d %s, gaps (ms) %s; UpToDate: %s%n",
        c.name(),
        c.reason(),
        faulted.size(),
        faulted.stream().map(SeenRequest::method).toList(),
        millis(SeenRequest.gaps(faulted)),
        upToDate(client, c.name()).getMessage());
    List<Runnable> checks =
        List.of(
            () ->
                assertThat(image(client, c.name()))
                    .as("%s still runs the digest it ran before the fault", c.name())
                    .isEqualTo(pinned(proxy, before.get(c.name()))),
            () ->
                assertThat(latestDigest(client, c.name()))
                    .as("the newest digest %s's status names", c.name())
                    .isEqualTo(before.get(c.name()).digest()),
            () -> c.gaps().accept(faulted));
    for (Runnable check : checks) {
      try {
        check.run();
      } catch (AssertionError e) {
        errors.add(new AssertionError(c.name() + ": " + e.getMessage(), e));
      }
    }
    return errors;
  }

  /** 5xx and resets: the n-th retry waits at least half and at most all of 0.5 s·2^(n-1). */
  private static void backoffGaps(List<SeenRequest> requests) {
    assertThat(requests).hasSizeGreaterThanOrEqualTo(ATTEMPTS);
    List<Duration> gaps = SeenRequest.gaps(requests.subList(0, ATTEMPTS));
    for (int i = 0; i < gaps.size(); i++) {
      Duration minimum = BACKOFF.minimumDelay(i + 1);
      assertThat(gaps.get(i))
          .as("gap before attempt %d", i + 2)
          .isGreaterThanOrEqualTo(minimum)
          .isLessThanOrEqualTo(minimum.multipliedBy(2).plus(SLACK));
    }
  }

  /**
   * Resets: java.net.http resends an idempotent request once, at once, when its connection closes
   * before any byte of an answer (it cannot tell a reset from a kept-alive connection the server
   * closed while idle), so each of the transport's attempts arrives as two requests; the backoff
   * lies between the second of one pair and the first of the next.
   */
  private static void resetGaps(List<SeenRequest> requests) {
    assertThat(requests).hasSizeGreaterThanOrEqualTo(2 * ATTEMPTS);
    for (int attempt = 1; attempt < ATTEMPTS; attempt++) {
      Duration gap =
          Duration.between(
              requests.get(2 * attempt - 1).arrivedAt(), requests.get(2 * attempt).arrivedAt());
      Duration minimum = BACKOFF.minimumDelay(attempt);
      assertThat(gap)
          .as("gap before attempt %d", attempt + 1)
          .isGreaterThanOrEqualTo(minimum)
          .isLessThanOrEqualTo(minimum.multipliedBy(2).plus(SLACK));
    }
  }

  /** Timeouts: each attempt waits out the request timeout, then the backoff. */
  private static void timeoutGaps(List<SeenRequest> requests) {
    assertThat(requests).hasSizeGreaterThanOrEqualTo(ATTEMPTS);
    List<Duration> gaps = SeenRequest.gaps(requests.subList(0, ATTEMPTS));
    for (int i = 0; i < gaps.size(); i++) {
      // The timeout runs from before the request is sent, so arrivals may be closer than the
      // timeout by the time a request takes to reach the proxy (a new connection, on a loaded
      // machine up to a few hundred milliseconds).
      Duration minimum =
          REQUEST_TIMEOUT.plus(BACKOFF.minimumDelay(i + 1)).minus(Duration.ofMillis(300));
      assertThat(gaps.get(i))
          .as("gap before attempt %d", i + 2)
          .isGreaterThanOrEqualTo(minimum)
          .isLessThanOrEqualTo(
              REQUEST_TIMEOUT.plus(BACKOFF.minimumDelay(i + 1).multipliedBy(2)).plus(SLACK));
    }
  }

  /** No request arrives before the moment the last 429's Retry-After named. */
  private static void retryAfterGaps(List<SeenRequest> all) {
    assertThat(all).hasSizeGreaterThanOrEqualTo(ATTEMPTS);
    List<SeenRequest> requests = all.subList(0, ATTEMPTS);
    for (int i = 1; i < requests.size(); i++) {
      Instant notBefore = requests.get(i - 1).notBefore().orElseThrow();
      assertThat(requests.get(i).arrivedAt())
          .as(
              "request %d, after Retry-After: %s",
              i + 1, requests.get(i - 1).retryAfter().orElseThrow())
          .isAfterOrEqualTo(notBefore);
      assertThat(Duration.between(notBefore, requests.get(i).arrivedAt()))
          .as("the wait beyond the Retry-After")
          .isLessThan(SLACK);
    }
  }

  /** A 429 without Retry-After waits the configured default before the next request. */
  private static void defaultRetryAfterGaps(List<SeenRequest> requests) {
    assertThat(requests).hasSizeGreaterThanOrEqualTo(ATTEMPTS);
    for (Duration gap : SeenRequest.gaps(requests.subList(0, ATTEMPTS))) {
      assertThat(gap)
          .isGreaterThanOrEqualTo(DEFAULT_RETRY_AFTER)
          .isLessThan(DEFAULT_RETRY_AFTER.plus(SLACK));
    }
  }

  private static String repo(String name, TestNamespace ns) {
    return "faults/" + name + "-" + ns.name();
  }

  private static App app(String name, String image) {
    App app = Apps.app(name);
    app.getSpec().setImage(image);
    app.getSpec().setReplicas(1);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("10s");
    app.getSpec().setUpdate(update);
    return app;
  }

  private static String pinned(FaultyRegistry proxy, PushedImage image) {
    return proxy.reference(image.repository(), image.tag()) + "@" + image.digest();
  }

  private static String image(KubernetesClient client, String name) {
    Deployment deployment = client.apps().deployments().withName(name).get();
    return deployment == null
        ? null
        : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static Condition upToDate(KubernetesClient client, String name) {
    App app = client.resources(App.class).withName(name).get();
    assertThat(app.getStatus()).as("status of %s", name).isNotNull();
    return app.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("UpToDate"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no UpToDate condition on " + name));
  }

  private static String latestDigest(KubernetesClient client, String name) {
    return client
        .resources(App.class)
        .withName(name)
        .get()
        .getStatus()
        .getImage()
        .getLatestDigest();
  }

  private static List<Event> events(KubernetesClient client, String app, String reason) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> app.equals(e.getInvolvedObject().getName()))
        .filter(e -> "App".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static <K> Map<K, Long> millis(Map<K, Duration> durations) {
    Map<K, Long> out = new LinkedHashMap<>();
    durations.forEach((k, v) -> out.put(k, v.toMillis()));
    return out;
  }

  private static List<Long> millis(List<Duration> durations) {
    List<Long> out = new ArrayList<>();
    durations.forEach(d -> out.add(d.toMillis()));
    return out;
  }
}
