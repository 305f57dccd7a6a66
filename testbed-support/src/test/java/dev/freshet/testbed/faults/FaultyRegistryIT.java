package dev.freshet.testbed.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/**
 * The proxy passes the real registry's answers through untouched, and each fault does what it says
 * on the wire: what the registry client meets in the operator's tests is what these show.
 */
@WithTestbed
class FaultyRegistryIT {
  private static final String ACCEPT =
      "application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void passesAnswersThroughAndAppliesEachFaultOnlyToItsPath(Testbed testbed) throws Exception {
    PushedImage image = testbed.registry().pusher().push("faults/through", "dev");
    Instant started = Instant.now();
    try (var proxy = FaultyRegistry.inFrontOf(testbed.registry())) {
      System.out.println(
          "proxy started in " + Duration.between(started, Instant.now()).toMillis() + " ms");
      String manifest = "/v2/faults/through/manifests/dev";
      HttpResponse<byte[]> head = send(proxy, "HEAD", manifest, null);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(image.digest());
      HttpResponse<byte[]> get = send(proxy, "GET", manifest, null);
      assertThat(sha256(get.body())).isEqualTo(image.digest());

      var lie = proxy.inject(manifest, Fault.wrongDigest());
      String claimed =
          send(proxy, "HEAD", manifest, null)
              .headers()
              .firstValue("Docker-Content-Digest")
              .orElseThrow();
      assertThat(claimed).matches("sha256:[0-9a-f]{64}").isNotEqualTo(image.digest());
      HttpResponse<byte[]> lyingGet = send(proxy, "GET", manifest, null);
      assertThat(sha256(lyingGet.body())).isEqualTo(image.digest());
      assertThat(lyingGet.headers().firstValue("Docker-Content-Digest")).contains(claimed);
      assertThat(send(proxy, "HEAD", "/v2/faults/other/manifests/dev", null).statusCode())
          .as("another path is not touched")
          .isEqualTo(404);
      lie.clear();
      assertThat(send(proxy, "HEAD", manifest, null).headers().firstValue("Docker-Content-Digest"))
          .contains(image.digest());

      proxy.inject(manifest, Fault.status(503));
      assertThat(send(proxy, "HEAD", manifest, null).statusCode()).isEqualTo(503);
      proxy.inject(manifest, Fault.connectionReset());
      assertThatThrownBy(() -> send(proxy, "GET", manifest, null)).isInstanceOf(IOException.class);
      proxy.inject(manifest, Fault.noAnswer(Duration.ofSeconds(30)));
      assertThatThrownBy(() -> send(proxy, "HEAD", manifest, Duration.ofMillis(500)))
          .isInstanceOf(HttpTimeoutException.class);
      proxy.inject(manifest, Fault.slowDrip(Duration.ofMillis(1500), 5));
      Instant before = Instant.now();
      HttpResponse<byte[]> dripped = send(proxy, "GET", manifest, null);
      assertThat(sha256(dripped.body())).isEqualTo(image.digest());
      assertThat(Duration.between(before, Instant.now())).isGreaterThan(Duration.ofMillis(1000));
      proxy.inject(manifest, Fault.hugeBody(5 * 1024 * 1024));
      assertThat(send(proxy, "GET", manifest, null).body().length).isGreaterThan(5_000_000);
      proxy.inject(manifest, Fault.malformedBody());
      assertThat(new String(send(proxy, "GET", manifest, null).body()))
          .startsWith("{")
          .doesNotEndWith("}");

      proxy.inject(manifest, Fault.tooManyRequests(Fault.RetryAfter.seconds(7)));
      assertThat(send(proxy, "HEAD", manifest, null).headers().firstValue("Retry-After"))
          .contains("7");
      proxy.inject(
          manifest, Fault.tooManyRequests(Fault.RetryAfter.httpDate(Duration.ofSeconds(3))));
      HttpResponse<byte[]> dated = send(proxy, "HEAD", manifest, null);
      assertThat(dated.statusCode()).isEqualTo(429);
      ZonedDateTime date =
          ZonedDateTime.parse(
              dated.headers().firstValue("Retry-After").orElseThrow(),
              DateTimeFormatter.RFC_1123_DATE_TIME);
      assertThat(date.toInstant())
          .isBetween(Instant.now().plusSeconds(1), Instant.now().plusSeconds(5));
      proxy.inject(manifest, Fault.tooManyRequests());
      HttpResponse<byte[]> bare = send(proxy, "HEAD", manifest, null);
      assertThat(bare.statusCode()).isEqualTo(429);
      assertThat(bare.headers().firstValue("Retry-After")).isEmpty();

      proxy.clearFaults();
      assertThat(send(proxy, "HEAD", manifest, null).statusCode()).isEqualTo(200);
      assertThat(proxy.requests(manifest)).hasSize(15);
      assertThat(proxy.injectedByKind())
          .containsEntry("wrong-digest", 2)
          .containsEntry("503", 1)
          .containsEntry("reset", 1)
          .containsEntry("429 with Retry-After as an HTTP-date", 1);
      System.out.println("faults injected by kind: " + proxy.injectedByKind());
    }
    System.out.println("whole test " + Duration.between(started, Instant.now()).toMillis() + " ms");
  }

  @Test
  void challengesForABearerTokenAndServesOrRefusesIt(Testbed testbed) throws Exception {
    testbed.registry().pusher().push("faults/token", "dev");
    try (var proxy = FaultyRegistry.inFrontOf(testbed.registry())) {
      proxy.requireBearerTokens(true);
      String manifest = "/v2/faults/token/manifests/dev";
      HttpResponse<byte[]> challenged = send(proxy, "HEAD", manifest, null);
      assertThat(challenged.statusCode()).isEqualTo(401);
      assertThat(challenged.headers().firstValue("WWW-Authenticate"))
          .contains(
              "Bearer realm=\"http://"
                  + proxy.host()
                  + "/token\",service=\"faulty-registry\",scope=\"repository:faults/token:pull\"");
      String body = new String(send(proxy, "GET", "/token?scope=x", null).body());
      String token = body.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
      HttpRequest withToken =
          HttpRequest.newBuilder(URI.create("http://" + proxy.host() + manifest))
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .header("Accept", ACCEPT)
              .header("Authorization", "Bearer " + token)
              .build();
      assertThat(http.send(withToken, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);

      proxy.inject("^/token$", Fault.status(500));
      assertThat(send(proxy, "GET", "/token", null).statusCode()).isEqualTo(500);
    }
  }

  private HttpResponse<byte[]> send(
      FaultyRegistry proxy, String method, String path, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + proxy.host() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Accept", ACCEPT);
    if (timeout != null) {
      request.timeout(timeout);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:"
        + java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
