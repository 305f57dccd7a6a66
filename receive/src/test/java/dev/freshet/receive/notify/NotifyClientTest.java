package dev.freshet.receive.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.server.ClientRate;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.Routes;
import dev.freshet.receive.sources.GenericReceiver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify client against the real receiver: what CI sends is what the receiver accepts. */
class NotifyClientTest {

  private static final Secret SECRET = Secret.of("ci-shared-secret");
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final List<Duration> FAST =
      List.of(Duration.ofMillis(1100), Duration.ofMillis(1100));

  private final List<ImageHint> sunk = new CopyOnWriteArrayList<>();
  private final NotifyClient client =
      new NotifyClient(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10), FAST);
  private ReceiverServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 100)))
            .sink(sunk::add)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.port() + Routes.GENERIC);
  }

  @Test
  void aNotifyPastTheReceiversRateIsRetriedAfterItsRetryAfter() throws Exception {
    try (var limited =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 100)))
            .clientRate(new ClientRate(1, 1))
            .sink(sunk::add)
            .build()
            .start()) {
      URI url = URI.create("http://127.0.0.1:" + limited.port() + Routes.GENERIC);

      var first = client.notify(url, SECRET, "127.0.0.1:5000/demo/app:dev", Optional.empty());
      var second = client.notify(url, SECRET, "127.0.0.1:5000/demo/app:dev", Optional.empty());

      assertThat(first.attempts()).isEqualTo(1);
      assertThat(second.status()).isEqualTo(202);
      assertThat(second.attempts()).isEqualTo(2);
    }
  }

  @Test
  void aNotificationBecomesAHintWithTheDigest(@TempDir Path dir) throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), "ci-shared-secret\n");

    var delivered =
        client.notify(url().toString(), secretFile, "127.0.0.1:5000/demo/app:dev", DIGEST);

    assertThat(delivered.status()).isEqualTo(202);
    assertThat(delivered.attempts()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !sunk.isEmpty());
    assertThat(sunk)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.reference()).isEqualTo("127.0.0.1:5000/demo/app:dev");
              assertThat(h.digest()).contains(DIGEST);
            });
  }

  @Test
  void aRefusalIsFinalAndCarriesTheReceiversReason() {
    assertThatThrownBy(
            () ->
                client.notify(
                    url(), Secret.of("wrong"), "127.0.0.1:5000/demo/app:dev", Optional.empty()))
        .isInstanceOfSatisfying(
            NotifyException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.refused()).isTrue();
              assertThat(e.attempts()).isEqualTo(1);
              assertThat(e.getMessage()).contains("X-Freshet-Signature does not match");
            });
    assertThat(sunk).isEmpty();
  }

  @Test
  void badArgumentsFailBeforeAnythingIsSent() {
    assertThatThrownBy(
            () -> client.notify(url(), SECRET, "127.0.0.1:5000/demo/app", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REPO:TAG");
    assertThatThrownBy(
            () -> client.notify(url(), SECRET, "ghcr.io/org/app:dev", Optional.of("sha256:abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("digest");
  }

  @Test
  void serverErrorsAreRetriedAndEachAttemptIsSignedAnew() throws Exception {
    // A front that fails once with 503 and then forwards to the real receiver, as a restarting
    // proxy might.
    AtomicInteger calls = new AtomicInteger();
    HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpClient forward = HttpClient.newHttpClient();
    front.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            var request =
                java.net.http.HttpRequest.newBuilder(url())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            exchange
                .getRequestHeaders()
                .forEach(
                    (name, values) -> {
                      if (name.startsWith("X-freshet") || name.equalsIgnoreCase("Content-type")) {
                        values.forEach(v -> request.header(name, v));
                      }
                    });
            var answer =
                forward.send(
                    request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            exchange.getResponseBody().write(answer.body());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    front.start();
    try {
      var delivered =
          client.notify(
              URI.create("http://127.0.0.1:" + front.getAddress().getPort() + "/"),
              SECRET,
              "ghcr.io/org/app:dev",
              Optional.empty());
      assertThat(delivered.attempts()).isEqualTo(2);
      assertThat(delivered.status()).isEqualTo(202);
    } finally {
      front.stop(0);
    }
  }

  @Test
  void anUnreachableReceiverFailsAfterTheRetries() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                client.notify(
                    URI.create("http://127.0.0.1:" + closedPort + "/hooks/generic"),
                    SECRET,
                    "ghcr.io/org/app:dev",
                    Optional.empty()))
        .isInstanceOfSatisfying(
            NotifyException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.refused()).isFalse();
              assertThat(e.attempts()).isEqualTo(3);
            });
  }
}
