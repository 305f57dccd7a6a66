package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.ReceiverCounters;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.receive.sources.DockerHubReceiver;
import dev.freshet.receive.sources.GenericReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals and acceptance over real HTTP against a running ReceiverServer; refused requests reach
 * no sink.
 */
class ReceiverServerTest {

  private static final Secret SECRET = Secret.of("ci-shared-secret");
  private static final String BODY = "{\"image\":\"127.0.0.1:5000/demo/app\",\"tag\":\"dev\"}";

  private final List<ImageHint> sunk = new CopyOnWriteArrayList<>();
  private final ReceiverCounters counters = new ReceiverCounters();
  private final HttpClient http = HttpClient.newHttpClient();
  private ReceiverServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 1000)))
            .route(Routes.DISTRIBUTION, new DistributionReceiver(Secret.of("Bearer reg-token")))
            .route(Routes.DOCKERHUB, new DockerHubReceiver(Secret.of("hub-token")))
            .maxBodyBytes(4096)
            .sink(sunk::add)
            .listener(counters)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder signedGeneric(String body, long timestamp, Secret secret) {
    return HttpRequest.newBuilder(uri(Routes.GENERIC))
        .header("Content-Type", "application/json")
        .header(GenericSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .header(
            GenericSignature.SIGNATURE_HEADER,
            GenericSignature.sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void anAuthenticEventIsAnswered202AndReachesTheSink() throws Exception {
    var response = send(signedGeneric(BODY, Instant.now().getEpochSecond(), SECRET));

    assertThat(response.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(5)).until(() -> !sunk.isEmpty());
    assertThat(sunk)
        .singleElement()
        .extracting(ImageHint::reference)
        .isEqualTo("127.0.0.1:5000/demo/app:dev");
    assertThat(counters.count("generic", Outcome.ACCEPTED)).isEqualTo(1);
  }

  @Test
  void aBadSignatureIsRefused401() throws Exception {
    var response = send(signedGeneric(BODY, Instant.now().getEpochSecond(), Secret.of("wrong")));
    assertRefused(response, 401, "does not match");
    assertThat(counters.count("generic", Outcome.REFUSED)).isEqualTo(1);
    assertThat(counters.count("generic", Outcome.ACCEPTED)).isZero();
  }

  @Test
  void aMissingSignatureIsRefused401() throws Exception {
    var response =
        send(
            HttpRequest.newBuilder(uri(Routes.GENERIC))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
    assertRefused(response, 401, "missing");
  }

  @Test
  void aReplayedTimestampIsRefused401() throws Exception {
    long tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
    assertRefused(send(signedGeneric(BODY, tenMinutesAgo, SECRET)), 401, "replay window");
  }

  @Test
  void anAuthenticEventWithNothingToDoIsCountedAsIgnored() throws Exception {
    String pull =
        "{\"events\":[{\"action\":\"pull\",\"target\":{\"mediaType\":"
            + "\"application/vnd.oci.image.manifest.v1+json\",\"repository\":\"a/b\",\"tag\":\"x\"},"
            + "\"request\":{\"host\":\"r.example\"}}]}";
    var response =
        send(
            HttpRequest.newBuilder(uri(Routes.DISTRIBUTION))
                .header("Content-Type", "application/vnd.docker.distribution.events.v2+json")
                .header("Authorization", "Bearer reg-token")
                .POST(HttpRequest.BodyPublishers.ofString(pull)));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("not a push");
    assertThat(counters.count("distribution", Outcome.IGNORED)).isEqualTo(1);
    assertThat(sunk).isEmpty();
  }

  @Test
  void aReplayedRequestIsRefused401() throws Exception {
    HttpRequest request = signedGeneric(BODY, Instant.now().getEpochSecond(), SECRET).build();
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(202);
    var replay = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("replayed");
    await().atMost(Duration.ofSeconds(5)).until(() -> sunk.size() == 1);
  }

  @Test
  void anOversizedBodyIsRefused413() throws Exception {
    String huge =
        "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\",\"pad\":\"" + "x".repeat(5000) + "\"}";
    assertRefused(
        send(signedGeneric(huge, Instant.now().getEpochSecond(), SECRET)), 413, "larger than");
  }

  @Test
  void anOversizedChunkedBodyIsRefused413() throws Exception {
    // No Content-Length: the server must count while reading.
    byte[] huge = new byte[10_000];
    var response =
        send(
            HttpRequest.newBuilder(uri(Routes.GENERIC))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge))));
    assertRefused(response, 413, "larger than");
  }

  @Test
  void aWrongContentTypeIsRefused415() throws Exception {
    var response =
        send(
            HttpRequest.newBuilder(uri(Routes.GENERIC))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
    assertRefused(response, 415, "text/plain");
  }

  @Test
  void aWrongMethodIsRefused405() throws Exception {
    var response = send(HttpRequest.newBuilder(uri(Routes.GENERIC)).GET());
    assertRefused(response, 405, "POST");
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void anUnknownPathIs404() throws Exception {
    var response =
        send(
            HttpRequest.newBuilder(uri("/hooks/nothing"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
    assertRefused(response, 404, "no receiver");
    assertThat(counters.count("unrouted", Outcome.REFUSED)).isEqualTo(1);
  }

  @Test
  void tokenRoutesTakeTheTokenAsTheLastSegment() throws Exception {
    String hub = "{\"push_data\":{\"tag\":\"1.0\"},\"repository\":{\"repo_name\":\"org/app\"}}";
    var good =
        send(
            HttpRequest.newBuilder(uri(Routes.DOCKERHUB + "hub-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(hub)));
    var bad =
        send(
            HttpRequest.newBuilder(uri(Routes.DOCKERHUB + "guess"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(hub)));

    assertThat(good.statusCode()).isEqualTo(202);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(counters.count("dockerhub", Outcome.ACCEPTED)).isEqualTo(1);
    assertThat(counters.count("dockerhub", Outcome.REFUSED)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !sunk.isEmpty());
    assertThat(sunk).extracting(ImageHint::reference).containsExactly("docker.io/org/app:1.0");
  }

  @Test
  void aSinkThatThrowsDoesNotAffectTheSender() throws Exception {
    server.close();
    server =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 10)))
            .sink(
                h -> {
                  throw new IllegalStateException("sink down");
                })
            .listener(counters)
            .build()
            .start();

    assertThat(send(signedGeneric(BODY, Instant.now().getEpochSecond(), SECRET)).statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.sinkFailures() == 1);
  }

  private void assertRefused(HttpResponse<String> response, int status, String reason) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).contains(reason);
    assertThat(sunk).isEmpty();
  }
}
