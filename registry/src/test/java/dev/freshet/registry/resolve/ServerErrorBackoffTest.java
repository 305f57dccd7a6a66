package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.UnreachableException;
import dev.freshet.registry.http.Backoff;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Transient failures: 5xx and timeouts are retried with growing pauses, a bounded number of times.
 * Fake registry: a real docker-registry cannot be made to fail on cue.
 */
class ServerErrorBackoffTest {
  private static final String DIGEST = Manifests.digestOf(Manifests.OCI_MANIFEST);
  private static final Duration INITIAL = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofMillis(800);

  private static Resolver resolver() {
    return Resolver.builder()
        .backoff(INITIAL, MAX)
        .maxAttempts(4)
        .requestTimeout(Duration.ofMillis(500))
        .build();
  }

  @Test
  void retries5xxWithExponentialPausesThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                calls.incrementAndGet() <= 2
                    ? Reply.status(503)
                    : Reply.status(200).header("Docker-Content-Digest", DIGEST))) {
      ResolvedImage resolved =
          resolver()
              .resolve(ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty());

      assertThat(resolved.digest().toString()).isEqualTo(DIGEST);
      assertThat(registry.requests()).hasSize(3);
      Backoff backoff = new Backoff(INITIAL, MAX);
      assertThat(registry.requests().get(1).arrivedAt())
          .isAfterOrEqualTo(registry.answeredAt(0).plus(backoff.minimumDelay(1)));
      assertThat(registry.requests().get(2).arrivedAt())
          .isAfterOrEqualTo(registry.answeredAt(1).plus(backoff.minimumDelay(2)));
    }
  }

  @Test
  void givesUpAfterTheLastAttemptWithATypedError() throws Exception {
    try (FakeRegistry registry = FakeRegistry.start(request -> Reply.status(500))) {
      assertThatThrownBy(
              () ->
                  resolver()
                      .resolve(
                          ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOfSatisfying(
              UnreachableException.class,
              e -> {
                assertThat(e.getMessage()).contains("500").contains("4 attempts");
                assertThat(e.isTransient()).isTrue();
              });
      assertThat(registry.requests()).hasSize(4);
    }
  }

  @Test
  void timeoutsAreRetriedThenReportedAsUnreachable() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> {
              never.await(30, TimeUnit.SECONDS); // answers long after our request timeout
              return Reply.status(500);
            })) {
      assertThatThrownBy(
              () ->
                  resolver()
                      .resolve(
                          ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOf(UnreachableException.class)
          .hasMessageContaining("timed out");
      assertThat(registry.requests()).hasSize(4);
    } finally {
      never.countDown();
    }
  }

  @Test
  void aBodyThatStallsTimesOutLikeAnyOtherRequest() throws Exception {
    // Headers at once, then 10 of the 1000 promised bytes and silence: HttpClient's own timeout has
    // already stopped counting, ours has not.
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, 1000);
          exchange.getResponseBody().write(new byte[10]);
          exchange.getResponseBody().flush();
          try {
            never.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    try {
      ImageReference ref =
          ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/team/app:v1");

      assertThatThrownBy(
              () ->
                  resolver()
                      .manifest(ref, Optional.empty(), dev.freshet.registry.Priority.ESSENTIAL))
          .isInstanceOf(UnreachableException.class)
          .hasMessageContaining("timed out");
      assertThat(requests.get()).isEqualTo(4);
    } finally {
      never.countDown();
      server.stop(0);
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Resolver resolver =
        Resolver.builder().backoff(Duration.ZERO, Duration.ZERO).maxAttempts(2).build();

    assertThatThrownBy(
            () ->
                resolver.resolve(
                    ImageReference.parse("127.0.0.1:" + port + "/team/app:v1"), Optional.empty()))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void notFoundIsNotRetried() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(
                    404,
                    "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"))) {
      assertThatThrownBy(
              () ->
                  resolver()
                      .manifest(
                          ImageReference.parse(registry.host() + "/team/app:v9"),
                          Optional.empty(),
                          dev.freshet.registry.Priority.ESSENTIAL))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("MANIFEST_UNKNOWN manifest unknown");
      assertThat(registry.requests()).hasSize(1);
    }
  }
}
