package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.pipeline.DeploymentImages;
import dev.freshet.pipeline.FreshetWithWebhooks;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The webhook endpoint of a running operator under attack, one attack after the other: forged
 * signatures, replayed notifications, oversized bodies, a wrong content type, header floods,
 * slow-loris connections, and a flood of validly signed notifications for one image. During each
 * one, a legitimate signed notification of a new push still rolls its App within a second (or, when
 * the machine is so loaded that the same notify without an attack takes more than a third of a
 * second, within three times that baseline, printed beside the figures); the attackers get only
 * refusals (counted here by status and reason); the flood causes at most one registry check of its
 * image per coalescing window (plus the first notification's, checked at once), counted in the
 * testbed registry's access log; and the receiver's threads stay within their bound.
 *
 * <p>The attackers send from addresses of their own (127.0.x.y, all loopback), as they would from
 * the internet; the legitimate sender is 127.0.0.1. Each attack lasts {@value #DEFAULT_SECONDS} s
 * (slow-loris as long as a notify takes: {@code SlowClientsIT} shows its deadlines), about 40 s in
 * all with the setup. In a soak ({@code -Dfreshet.soak=true}, {@code make soak}) each attack lasts
 * {@value #SOAK_SECONDS} s; {@code -Dfreshet.hostile.seconds=N} chooses another length. The figures
 * (requests and answers per attack, the legitimate notify's latency beside them, the flood's
 * registry checks) are written for the soak's table.
 */
@WithTestbed
class HostileWebhooksIT {
  private static final String HMAC = "hostile-webhooks-secret";
  private static final int DEFAULT_SECONDS = 2;
  private static final int SOAK_SECONDS = 60;
  private static final Duration ATTACK =
      Duration.ofSeconds(
          Integer.getInteger(
              "freshet.hostile.seconds",
              dev.freshet.testbed.Figures.soak() ? SOAK_SECONDS : DEFAULT_SECONDS));
  private static final int ATTACKERS = 6;
  private static final int SLOW_CONNECTIONS = 300;
  private static final Duration LEGITIMATE_WITHIN = Duration.ofSeconds(1);
  private static final Pattern REASON = Pattern.compile("\\[([a-z-]+)]\\s*$");

  private final List<String> table = new ArrayList<>();
  private final Map<String, Object> soakFigures = new java.util.LinkedHashMap<>();

  @Test
  void aSignedNotifyRollsItsAppWithinASecondDuringEachAttack(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Instant started = Instant.now();
    String legitimateRepo = "hostile/app-" + ns.name();
    String floodedRepo = "hostile/flooded-" + ns.name();
    PushedImage legitimate = testbed.registry().pusher().push(legitimateRepo, "dev");
    PushedImage flooded = testbed.registry().pusher().push(floodedRepo, "dev");
    String floodedImage = testbed.registry().host() + "/" + floodedRepo + ":dev";

    try (var freshet = FreshetWithWebhooks.start(client, ns.name(), Map.of("hmac", HMAC));
        var sampler = new ReceiverSampler()) {
      freshet.listen(new InetSocketAddress("127.0.0.1", 0), "/hooks/generic", hint -> {});
      client.resource(app("demo", legitimate.reference())).create();
      client.resource(app("flooded", flooded.reference())).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  legitimate.pinnedReference().equals(DeploymentImages.image(client, "demo"))
                      && flooded
                          .pinnedReference()
                          .equals(DeploymentImages.image(client, "flooded")));
      var attack = new Attacks(freshet.address(), testbed, legitimateRepo, freshet, client);

      byte[] captured = signed(body(floodedImage, "captured"));
      assertThat(attack.once(captured)).startsWith("HTTP/1.1 202");
      Figures baseline = attack.none();
      Instant attacksStarted = Instant.now();

      Figures forged =
          attack.run(
              "forged signature",
              10,
              1,
              i -> signed(body(floodedImage, "forged-" + i), Secret.of("not-the-secret")));
      Figures replayed = attack.run("replayed notification", 11, 1, i -> captured);
      Figures oversized = attack.run("oversized body", 12, 1, HostileWebhooksIT::oversized);
      Figures wrongType =
          attack.run(
              "wrong content type",
              13,
              1,
              i -> withContentType(body(floodedImage, "type-" + i), "text/plain"));
      Figures headers = attack.run("header flood", 14, 1, i -> headerFlood());
      Figures slowLoris = attack.slowLoris(15);

      Path accessLog = testbed.logs().resolve("registry-anon.log");
      long checksBefore = manifestRequests(accessLog, floodedRepo);
      Instant floodStart = Instant.now();
      Figures flood =
          attack.run(
              "flood of valid notifications", 20, 8, i -> signed(body(floodedImage, "flood-" + i)));
      Instant floodEnd = Instant.now();
      // The last follow-up is handed over at most one window after the flood, then checked.
      await()
          .pollDelay(WebhookEndpoint.COALESCE_WINDOW.multipliedBy(4))
          .atMost(Duration.ofSeconds(5))
          .until(() -> true);
      long checks = manifestRequests(accessLog, floodedRepo) - checksBefore;
      long windows =
          Duration.between(floodStart, floodEnd).toMillis()
                  / WebhookEndpoint.COALESCE_WINDOW.toMillis()
              + 1;
      // Coalescing is leading-edge: the flood's first notification is checked at once, then at
      // most one follow-up per window, the last one a window after the flood ends.
      long allowedChecks = windows + 1;

      System.out.println();
      System.out.printf(
          "%-30s %8s  %-70s %s%n",
          "attack", "requests", "answers (status reason: count)", "legitimate notify -> patch");
      table.forEach(System.out::println);
      System.out.printf(
          "flood: %d notifications accepted in %d ms -> %d registry checks of %s (at most %d: the"
              + " first at once, then one per %d ms coalescing window)%n",
          flood.count("202"),
          Duration.between(floodStart, floodEnd).toMillis(),
          checks,
          floodedRepo,
          allowedChecks,
          WebhookEndpoint.COALESCE_WINDOW.toMillis());
      System.out.printf(
          "receiver threads at most %d (bound %d + 1 sink); setup %d s, attacks %d s%n",
          sampler.maxThreads(),
          ReceiverServer.DEFAULT_THREADS,
          Duration.between(started, attacksStarted).toSeconds(),
          Duration.between(attacksStarted, Instant.now()).toSeconds());

      // Each row's legitimate notify rolled the demo App to a new push.
      soakFigures.put("rollouts", table.size());
      soakFigures.put("flood.registry-checks", checks);
      soakFigures.put("flood.coalescing-windows", windows);
      soakFigures.put("receiver.max-threads", sampler.maxThreads());
      dev.freshet.testbed.Figures.write("HostileWebhooksIT", soakFigures);

      Duration bound = legitimateBound(baseline.latency);
      for (Figures f : List.of(forged, replayed, oversized, wrongType, headers, slowLoris, flood)) {
        assertThat(f.latency).as(f.name + ", bound " + bound.toMillis() + " ms").isLessThan(bound);
      }
      // Whether a single attacking address gets past its burst in time depends on the machine's
      // speed: 429s are allowed everywhere but required nowhere (ReceiverLimitsTest requires them).
      assertThat(forged.answers.keySet()).isSubsetOf("401 Unauthorized", "429 rate-limited");
      assertThat(forged.count("401")).isPositive();
      assertThat(replayed.answers.keySet()).isSubsetOf("401 Unauthorized", "429 rate-limited");
      assertThat(replayed.count("401")).isPositive();
      assertThat(oversized.answers.keySet())
          .isNotEmpty()
          .allSatisfy(key -> assertThat(key).matches("413 .*|429 rate-limited"));
      assertThat(oversized.count("413")).isPositive();
      assertThat(wrongType.answers.keySet())
          .isSubsetOf("415 Unsupported Media Type", "429 rate-limited");
      assertThat(wrongType.count("415")).isPositive();
      // Refused, every one: 431 once the header cap is read. The server closes the connection
      // while the rest of the flood is still arriving, so the close may overtake the answer. No
      // answer may carry a request's bytes: Jetty's pooled buffers once put another flood
      // request's tail before a 431, and its headers in another's request (read as a 400).
      assertThat(headers.answers.keySet())
          .isSubsetOf("431 Request Header Fields Too Large", "closed without an answer");
      assertThat(headers.count("431")).isGreaterThanOrEqualTo(headers.requests() * 99 / 100);
      assertThat(slowLoris.answers.keySet()).containsOnly("held open, unanswered");
      assertThat(flood.answers.keySet()).isSubsetOf("202 Accepted", "429 rate-limited");
      // Coalescing merged the accepted notifications: most caused no check of their own. How
      // many get past the per-sender limit varies with the run (380 to 464 seen, in 2 s or in a
      // minute), so the count is not held against the number of windows.
      assertThat(flood.count("202"))
          .as("accepted notifications, against %d registry checks", checks)
          .isGreaterThan(10 * checks);
      assertThat(checks).isPositive().isLessThanOrEqualTo(allowedChecks);
      assertThat(sampler.maxThreads()).isLessThanOrEqualTo(ReceiverServer.DEFAULT_THREADS + 1);
      // Nothing an attacker sent moved the flooded App.
      assertThat(DeploymentImages.image(client, "flooded")).isEqualTo(flooded.pinnedReference());
      // Every refusal the attackers saw is counted where an operator's dashboard sees it.
      long rateLimited =
          List.of(forged, replayed, oversized, wrongType, flood).stream()
              .mapToLong(f -> f.count("429"))
              .sum();
      assertThat(refused(freshet, "generic", "rate-limited")).isEqualTo(rateLimited);
      // A 431 the close overtook, or one that reached the sender as a 400, was counted all the
      // same by the server.
      assertThat(refused(freshet, "unrouted", "headers-too-large"))
          .isBetween(
              headers.count("431"),
              headers.count("431") + headers.count("400") + headers.count("closed without"));
    }
  }

  private static long refused(FreshetWithWebhooks freshet, String source, String reason) {
    return (long)
        freshet
            .meters()
            .counter(WebhookEndpoint.REFUSED, "source", source, "reason", reason)
            .count();
  }

  /**
   * A second, as promised; but on a machine so loaded by others that the notify alone, without any
   * attack, takes more than a third of it, three times that baseline (a shared two-core machine's
   * load swings that much within a minute): the attack must not be what slows it.
   */
  private static Duration legitimateBound(Duration baseline) {
    Duration thrice = baseline.multipliedBy(3);
    return thrice.compareTo(LEGITIMATE_WITHIN) > 0 ? thrice : LEGITIMATE_WITHIN;
  }

  /** "429 rate-limited" → "429-rate-limited": a name for a row of the soak's table. */
  private static String slug(String text) {
    return text.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", "");
  }

  /** What one attack got, and how long the legitimate notification took beside it. */
  private record Figures(String name, Map<String, Long> answers, long requests, Duration latency) {
    long count(String statusPrefix) {
      return answers.entrySet().stream()
          .filter(e -> e.getKey().startsWith(statusPrefix))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  /** Runs attacks against the endpoint and one legitimate notify during each. */
  private final class Attacks {
    private final InetSocketAddress target;
    private final Testbed testbed;
    private final String legitimateRepo;
    private final FreshetWithWebhooks freshet;
    private final KubernetesClient client;

    Attacks(
        InetSocketAddress target,
        Testbed testbed,
        String legitimateRepo,
        FreshetWithWebhooks freshet,
        KubernetesClient client) {
      this.target = target;
      this.testbed = testbed;
      this.legitimateRepo = legitimateRepo;
      this.freshet = freshet;
      this.client = client;
    }

    /** The legitimate notify alone, for comparison. */
    Figures none() throws Exception {
      return record("none (baseline)", Map.of(), 0, legitimateNotify());
    }

    /**
     * {@value #ATTACKERS} attackers send {@code request(i)} as fast as they are answered, from
     * {@code addresses} addresses 127.0.{block}.y in turn (one: a single attacking host).
     */
    Figures run(String name, int block, int addresses, IntFunction<byte[]> request)
        throws Exception {
      Map<String, LongAdder> answers = new ConcurrentHashMap<>();
      AtomicLong sent = new AtomicLong();
      Instant end = Instant.now().plus(ATTACK);
      AtomicBoolean over = new AtomicBoolean();
      ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS);
      List<Future<?>> running = new ArrayList<>();
      AtomicInteger numbers = new AtomicInteger();
      for (int t = 0; t < ATTACKERS; t++) {
        int attacker = t;
        running.add(
            attackers.submit(
                () -> {
                  for (int i = 0; !over.get(); i++) {
                    InetAddress from = address(block, 1 + (attacker + i * ATTACKERS) % addresses);
                    String answer = send(from, request.apply(numbers.incrementAndGet()));
                    answers.computeIfAbsent(classify(answer), k -> new LongAdder()).increment();
                    sent.incrementAndGet();
                  }
                  return null;
                }));
      }
      // Under way before the legitimate notify, and on until it is done and the attack's time is
      // up.
      await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() >= 10);
      Duration latency = legitimateNotify();
      await()
          .atMost(ATTACK.plusSeconds(1))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !Instant.now().isBefore(end));
      over.set(true);
      for (Future<?> f : running) {
        f.get(ATTACK.toSeconds() + 30, TimeUnit.SECONDS);
      }
      attackers.shutdown();
      return record(name, snapshot(answers), sent.get(), latency);
    }

    /** Slow-loris: connections trickling their headers, reopened whenever the server closes one. */
    Figures slowLoris(int block) throws Exception {
      List<InetAddress> from = new ArrayList<>();
      for (int i = 1; i <= 50; i++) {
        from.add(address(block, i));
      }
      // SlowClientsIT shows each one cut off at its deadline; here they only have to be open.
      try (var slow = SlowClients.open(target, SLOW_CONNECTIONS, 0, from)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.ticks() >= 1);
        Duration latency = legitimateNotify();
        assertThat(slow.headerTricklerLives()).isEmpty();
        return record(
            "slow-loris",
            Map.of("held open, unanswered", (long) SLOW_CONNECTIONS),
            SLOW_CONNECTIONS,
            latency);
      }
    }

    private Figures record(String name, Map<String, Long> answers, long sent, Duration latency) {
      StringBuilder text = new StringBuilder();
      answers.forEach((k, v) -> text.append(text.length() == 0 ? "" : "; ").append(k + ": " + v));
      table.add(String.format("%-30s %8d  %-70s %d ms", name, sent, text, latency.toMillis()));
      String attack = slug(name);
      soakFigures.put("faults.webhook-" + attack, sent);
      answers.forEach(
          (answer, count) -> soakFigures.put("answers." + attack + "." + slug(answer), count));
      soakFigures.put("legitimate-notify-ms." + attack, latency.toMillis());
      return new Figures(name, answers, sent, latency);
    }

    /** A push of the legitimate App's image, its signed notify, and the time to its patch. */
    private Duration legitimateNotify() throws Exception {
      PushedImage pushed = testbed.registry().pusher().push(legitimateRepo, "dev");
      var patched = DeploymentImages.whenPinned(client, "demo", pushed.pinnedReference());
      Instant sentAt = Instant.now();
      new NotifyClient()
          .notify(
              freshet.url("/hooks/generic"),
              Secret.of(HMAC),
              pushed.reference(),
              Optional.of(pushed.digest()));
      return Duration.between(sentAt, patched.get(30, TimeUnit.SECONDS));
    }

    String once(byte[] request) throws IOException {
      return send(InetAddress.getByName("127.0.9.1"), request);
    }

    private String send(InetAddress from, byte[] request) {
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(target, 5_000);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        try {
          out.write(request);
          out.flush();
        } catch (IOException e) {
          // Answered and closed before the whole request was written (413, 429, 431).
        }
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return "no answer: " + e.getClass().getSimpleName();
      }
    }
  }

  /** "status reason": the stable reason label where the endpoint gives one, else the phrase. */
  private static String classify(String answer) {
    if (answer.contains("X-Flood-")) {
      return "answer carrying request bytes";
    }
    if (!answer.startsWith("HTTP/1.1 ")) {
      return answer.isEmpty() ? "closed without an answer" : "not HTTP: " + answer;
    }
    String statusLine = answer.substring(0, answer.indexOf("\r\n"));
    String status = statusLine.substring(9, 12);
    Matcher label = REASON.matcher(answer);
    return status + " " + (label.find() ? label.group(1) : statusLine.substring(13));
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> answers) {
    Map<String, Long> copy = new TreeMap<>();
    answers.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  private static InetAddress address(int block, int host) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) block, (byte) host});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(String image, String nonce) {
    int colon = image.lastIndexOf(':');
    return "{\"image\":\""
        + image.substring(0, colon)
        + "\",\"tag\":\""
        + image.substring(colon + 1)
        + "\",\"nonce\":\""
        + nonce
        + "\"}";
  }

  private static byte[] signed(String body) {
    return signed(body, Secret.of(HMAC));
  }

  private static byte[] signed(String body, Secret secret) {
    long now = Instant.now().getEpochSecond();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return request(
        "Content-Type: application/json\r\n"
            + GenericSignature.TIMESTAMP_HEADER
            + ": "
            + now
            + "\r\n"
            + GenericSignature.SIGNATURE_HEADER
            + ": "
            + GenericSignature.sign(secret, now, bytes)
            + "\r\n",
        bytes);
  }

  private static byte[] withContentType(String body, String contentType) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    return request(
        "Content-Type: "
            + contentType
            + "\r\n"
            + GenericSignature.TIMESTAMP_HEADER
            + ": "
            + now
            + "\r\n"
            + GenericSignature.SIGNATURE_HEADER
            + ": "
            + GenericSignature.sign(Secret.of(HMAC), now, bytes)
            + "\r\n",
        bytes);
  }

  /**
   * Past the body cap: declared twice as long (refused on the length; only its first 64 KiB are
   * sent), or (every other one) sent without a length, chunked, which the server reads up to the
   * cap.
   */
  private static final byte[] DECLARED = oversizedDeclared();

  private static final byte[] CHUNKED = oversizedChunked();

  private static byte[] oversized(int i) {
    return i % 2 == 0 ? DECLARED : CHUNKED;
  }

  private static byte[] padding(int length) {
    byte[] padding = new byte[length];
    java.util.Arrays.fill(padding, (byte) 'a');
    return padding;
  }

  private static byte[] oversizedDeclared() {
    String head =
        "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + 2 * ReceiverServer.DEFAULT_MAX_BODY_BYTES
            + "\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.US_ASCII), padding(64 * 1024));
  }

  private static byte[] oversizedChunked() {
    byte[] padding = padding(ReceiverServer.DEFAULT_MAX_BODY_BYTES + 1024);
    String head =
        "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(padding.length)
            + "\r\n";
    return concat(
        head.getBytes(StandardCharsets.US_ASCII),
        padding,
        "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] headerFlood() {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; headers.length() <= 2 * ReceiverServer.DEFAULT_MAX_HEADER_BYTES; i++) {
      headers.append("X-Flood-").append(i).append(": x\r\n");
    }
    return request(headers.toString(), new byte[0]);
  }

  private static byte[] request(String headers, byte[] body) {
    String head =
        "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\n"
            + headers
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.US_ASCII), body);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** Manifest requests for {@code repository}, as the registry logged them. */
  private static long manifestRequests(Path accessLog, String repository) throws IOException {
    try (var lines = Files.lines(accessLog)) {
      return lines
          .filter(
              l ->
                  l.contains("\"HEAD /v2/" + repository + "/manifests/")
                      || l.contains("\"GET /v2/" + repository + "/manifests/"))
          .count();
    }
  }

  /** Samples the receiver's threads every 50 ms. */
  private static final class ReceiverSampler implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger maxThreads = new AtomicInteger();

    ReceiverSampler() {
      timer.scheduleAtFixedRate(this::sample, 0, 50, TimeUnit.MILLISECONDS);
    }

    private void sample() {
      int threads =
          (int)
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.getName().startsWith("freshet-receiver"))
                  .count();
      maxThreads.accumulateAndGet(threads, Math::max);
    }

    int maxThreads() {
      return maxThreads.get();
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static App app(String name, String image) {
    App app = Apps.app(name);
    app.getSpec().setImage(image);
    app.getSpec().setReplicas(1);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }
}
