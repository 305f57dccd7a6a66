package dev.freshet.testbed.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.freshet.testbed.Registry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy on loopback in front of one of the testbed's real registries. A test
 * names images through {@link #host()}, and switches faults on and off per path pattern while the
 * operator polls: 5xx, connection resets, requests never answered, slowly dripped bodies, 429 with
 * and without {@code Retry-After} (seconds or HTTP-date), a {@code Docker-Content-Digest} that
 * disagrees with the body, huge and malformed manifests, and a bearer-token endpoint of its own
 * that can fail. Every request is recorded with its arrival time, so a test can assert the gaps
 * between retries.
 *
 * <p>Built on WireMock (its standalone jar, which shades its Jetty and Jackson): it proxies,
 * injects connection faults, delays and drips bodies, and lets a test change what it does at run
 * time. Toxiproxy works at the TCP level only (no status codes or headers) and needs its Go server.
 * What WireMock does not do by itself — choosing a fault by path per request, the {@code
 * Retry-After} date computed when answering, rewriting a proxied header, the token endpoint, the
 * arrival log — is the two small extensions below.
 */
public final class FaultyRegistry implements AutoCloseable {
  private static final String TOKEN_PATH = "/token";
  private static final String SERVICE = "faulty-registry";
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** A fault switched on for a path pattern; {@link #clear()} switches it off. */
  public final class Injection {
    private final Pattern path;
    private final Optional<String> method;
    private final Fault fault;

    private Injection(Pattern path, Optional<String> method, Fault fault) {
      this.path = path;
      this.method = method;
      this.fault = fault;
    }

    private boolean matches(String requestMethod, String requestPath) {
      return method.map(m -> m.equalsIgnoreCase(requestMethod)).orElse(true)
          && path.matcher(requestPath).find();
    }

    public Fault fault() {
      return fault;
    }

    public void clear() {
      injections.remove(this);
    }
  }

  private final Registry upstream;
  private final Clock clock;
  private final WireMockServer server;
  private final List<Injection> injections = new CopyOnWriteArrayList<>();
  private final List<SeenRequest> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
  private final Set<UUID> digestsToFalsify = ConcurrentHashMap.newKeySet();
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenCounter = new AtomicInteger();
  private volatile boolean bearerTokens;
  private volatile Duration tokenLifetime = Duration.ofMinutes(5);

  private FaultyRegistry(Registry upstream, Clock clock) {
    this.upstream = upstream;
    this.clock = clock;
    this.server =
        new WireMockServer(
            wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .gzipDisabled(true)
                .stubCorsEnabled(false)
                // Delays are scheduled, not slept on a server thread: requests never answered do
                // not use up the server's threads.
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .disableRequestJournal()
                .notifier(new ConsoleNotifier(false))
                .extensions(new ChooseAnswer(), new FalsifyDigest()));
  }

  /** Starts a proxy in front of {@code upstream}, passing everything through until told not to. */
  public static FaultyRegistry inFrontOf(Registry upstream) {
    FaultyRegistry proxy = new FaultyRegistry(upstream, Clock.systemUTC());
    proxy.server.start();
    // One catch-all stub; the ChooseAnswer extension decides every answer.
    proxy.server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    return proxy;
  }

  /** {@code 127.0.0.1:port}: what image references name to go through this proxy. */
  public String host() {
    return "127.0.0.1:" + server.port();
  }

  /** The registry behind the proxy; push there, so pushes meet no fault. */
  public Registry upstream() {
    return upstream;
  }

  /** {@code host/repository:tag} through this proxy. */
  public String reference(String repository, String tag) {
    return host() + "/" + repository + ":" + tag;
  }

  /**
   * Answers every request matching {@code pathRegex} (searched in the path, e.g. {@code
   * "/v2/team/web/manifests/"}) with {@code fault} until {@link Injection#clear()}. A later
   * injection that matches the same request wins.
   */
  public Injection inject(String pathRegex, Fault fault) {
    return add(new Injection(Pattern.compile(pathRegex), Optional.empty(), fault));
  }

  /** {@link #inject(String, Fault)} for one method only ({@code HEAD}, {@code GET}…). */
  public Injection inject(String method, String pathRegex, Fault fault) {
    return add(new Injection(Pattern.compile(pathRegex), Optional.of(method), fault));
  }

  private Injection add(Injection injection) {
    injections.add(injection);
    return injection;
  }

  /** Switches every fault off. */
  public void clearFaults() {
    injections.clear();
  }

  /**
   * With {@code true}, /v2/ requests without a token this proxy issued are answered {@code 401}
   * with {@code WWW-Authenticate: Bearer realm="http://<host>/token"…}, and {@code /token} issues
   * tokens (or answers with a fault injected on its path). Tokens are not passed upstream's
   * scrutiny: the anonymous registry ignores them.
   */
  public void requireBearerTokens(boolean required) {
    bearerTokens = required;
  }

  /**
   * The lifetime ({@code expires_in}) of the tokens {@code /token} issues; 5 minutes unless set.
   */
  public void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Every request seen so far, in order of arrival. */
  public List<SeenRequest> requests() {
    return List.copyOf(seen);
  }

  /** The requests whose path matches {@code pathRegex} (searched), in order of arrival. */
  public List<SeenRequest> requests(String pathRegex) {
    Pattern pattern = Pattern.compile(pathRegex);
    return seen.stream().filter(r -> pattern.matcher(r.path()).find()).toList();
  }

  /** How many requests each kind of fault answered, by {@link Fault#kind()}. */
  public Map<String, Integer> injectedByKind() {
    Map<String, Integer> counts = new TreeMap<>();
    injected.forEach((kind, count) -> counts.put(kind, count.get()));
    return counts;
  }

  @Override
  public void close() {
    server.stop();
  }

  private Optional<Injection> injectionFor(String method, String path) {
    List<Injection> all = new ArrayList<>(injections);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).matches(method, path)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /** Decides each answer on arrival and records the request. */
  private final class ChooseAnswer implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "freshet-choose-answer";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      Instant arrivedAt = clock.instant();
      String method = request.getMethod().getName();
      String path = URI.create(request.getUrl()).getRawPath();
      Optional<Injection> injection = injectionFor(method, path);
      if (injection.isPresent()) {
        Fault fault = injection.get().fault();
        injected.computeIfAbsent(fault.kind(), k -> new AtomicInteger()).incrementAndGet();
        Answer answer = faultAnswer(fault, event, arrivedAt);
        seen.add(
            new SeenRequest(
                arrivedAt,
                method,
                path,
                Optional.of(fault.kind()),
                answer.retryAfter(),
                answer.notBefore()));
        return answer.definition();
      }
      seen.add(
          new SeenRequest(
              arrivedAt, method, path, Optional.empty(), Optional.empty(), Optional.empty()));
      if (path.equals(TOKEN_PATH)) {
        return issueToken();
      }
      if (bearerTokens && path.startsWith("/v2/") && !carriesIssuedToken(request)) {
        return challenge(path);
      }
      return proxied().build();
    }
  }

  private record Answer(
      ResponseDefinition definition, Optional<String> retryAfter, Optional<Instant> notBefore) {
    Answer(ResponseDefinitionBuilder builder) {
      this(builder.build(), Optional.empty(), Optional.empty());
    }
  }

  private Answer faultAnswer(Fault fault, ServeEvent event, Instant now) {
    if (fault instanceof Fault.Status s) {
      return new Answer(error(s.code(), "UNAVAILABLE", "injected " + s.code()));
    }
    if (fault instanceof Fault.ConnectionReset) {
      return new Answer(
          aResponse()
              .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
    }
    if (fault instanceof Fault.NoAnswer n) {
      return new Answer(
          error(503, "UNAVAILABLE", "answered after " + n.hold())
              .withFixedDelay((int) n.hold().toMillis()));
    }
    if (fault instanceof Fault.SlowDrip d) {
      return new Answer(proxied().withChunkedDribbleDelay(d.chunks(), (int) d.total().toMillis()));
    }
    if (fault instanceof Fault.TooManyRequests t) {
      return tooManyRequests(t, now);
    }
    if (fault instanceof Fault.WrongDigest) {
      digestsToFalsify.add(event.getId());
      return new Answer(proxied());
    }
    if (fault instanceof Fault.HugeBody h) {
      String body = hugeJson(h.bytes());
      // Declared, as a registry serving a real file would: a client can refuse it from the headers.
      return new Answer(
          manifestBody(body)
              .withHeader(
                  "Content-Length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length)));
    }
    // Fault.MalformedBody: a manifest cut off in the middle.
    return new Answer(
        manifestBody(
            "{\"schemaVersion\": 2, \"mediaType\": \"" + MANIFEST_TYPE + "\", \"config\": {"));
  }

  private Answer tooManyRequests(Fault.TooManyRequests fault, Instant now) {
    ResponseDefinitionBuilder answer = error(429, "TOOMANYREQUESTS", "injected: too many requests");
    if (fault.retryAfter().isEmpty()) {
      return new Answer(answer);
    }
    Fault.RetryAfter retryAfter = fault.retryAfter().get();
    String value;
    Instant notBefore;
    if (retryAfter.asHttpDate()) {
      Instant exact = now.plus(retryAfter.delay());
      notBefore = exact.truncatedTo(ChronoUnit.SECONDS);
      if (notBefore.isBefore(exact)) {
        notBefore = notBefore.plusSeconds(1);
      }
      value = HTTP_DATE.format(notBefore);
    } else {
      value = String.valueOf(retryAfter.delay().toSeconds());
      notBefore = now.plus(retryAfter.delay());
    }
    return new Answer(
        answer.withHeader("Retry-After", value).build(),
        Optional.of(value),
        Optional.of(notBefore));
  }

  private ResponseDefinitionBuilder proxied() {
    return aResponse().proxiedFrom("http://" + upstream.host());
  }

  private static ResponseDefinitionBuilder error(int status, String code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
  }

  private static ResponseDefinitionBuilder manifestBody(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", MANIFEST_TYPE).withBody(body);
  }

  /** Valid JSON of about {@code bytes} bytes: too big is the only thing wrong with it. */
  private static String hugeJson(int bytes) {
    return "{\"schemaVersion\":2,\"padding\":\"" + "a".repeat(Math.max(0, bytes - 40)) + "\"}";
  }

  private ResponseDefinition issueToken() {
    String token = "faulty-" + tokenCounter.incrementAndGet() + "-" + UUID.randomUUID();
    issuedTokens.add(token);
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"token\":\"" + token + "\",\"expires_in\":" + tokenLifetime.toSeconds() + "}")
        .build();
  }

  private boolean carriesIssuedToken(Request request) {
    String authorization = request.getHeader("Authorization");
    return authorization != null
        && authorization.startsWith("Bearer ")
        && issuedTokens.contains(authorization.substring("Bearer ".length()).trim());
  }

  private ResponseDefinition challenge(String path) {
    String repository =
        path.replaceFirst("^/v2/", "").replaceFirst("/(manifests|tags|blobs)/.*$", "");
    String scope = path.equals("/v2/") ? "" : ",scope=\"repository:" + repository + ":pull\"";
    return error(401, "UNAUTHORIZED", "authentication required")
        .withHeader(
            "WWW-Authenticate",
            "Bearer realm=\"http://"
                + host()
                + TOKEN_PATH
                + "\",service=\""
                + SERVICE
                + "\""
                + scope)
        .build();
  }

  /** Rewrites the digest header of proxied answers the {@link Fault.WrongDigest} fault chose. */
  private final class FalsifyDigest implements ResponseTransformerV2 {
    @Override
    public String getName() {
      return "freshet-falsify-digest";
    }

    @Override
    public Response transform(Response response, ServeEvent event) {
      if (!digestsToFalsify.remove(event.getId())) {
        return response;
      }
      List<HttpHeader> headers = new ArrayList<>();
      for (HttpHeader header : response.getHeaders().all()) {
        if (header.keyEquals("Docker-Content-Digest")) {
          headers.add(new HttpHeader(header.key(), otherDigest(header.firstValue())));
        } else {
          headers.add(header);
        }
      }
      return Response.Builder.like(response).but().headers(new HttpHeaders(headers)).build();
    }
  }

  /** A well-formed digest of bytes the registry never served. */
  static String otherDigest(String real) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("not the body of " + real).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
