package dev.freshet.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The testbed's registries hold pushed images and answer their digests, with and without auth. */
@WithTestbed
class RegistryIT {
  private static final String ACCEPT =
      String.join(
          ",",
          ImagePusher.OCI_INDEX,
          ImagePusher.OCI_MANIFEST,
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoPushesToOneTagGiveTwoDigestsAndHeadAnswersTheLatest(Testbed testbed) throws Exception {
    Registry registry = testbed.registry();
    PushedImage first = registry.pusher().push("demo/app", "two-pushes");
    assertThat(
            head(registry, "demo/app", "two-pushes", null)
                .headers()
                .firstValue("Docker-Content-Digest"))
        .contains(first.digest());

    PushedImage second = registry.pusher().push("demo/app", "two-pushes");

    assertThat(second.digest()).isNotEqualTo(first.digest()).matches("sha256:[0-9a-f]{64}");
    HttpResponse<Void> head = head(registry, "demo/app", "two-pushes", null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(second.digest());
  }

  @Test
  void theHtpasswdRegistryRefusesAnonymousReadsAndServesAuthenticatedOnes(Testbed testbed)
      throws Exception {
    Registry registry = testbed.authRegistry();
    PushedImage pushed = registry.pusher().push("private/app", "v1");

    HttpResponse<Void> anonymous = head(registry, "private/app", "v1", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

    String basic = registry.username().orElseThrow() + ":" + registry.password().orElseThrow();
    HttpResponse<Void> authenticated =
        head(
            registry,
            "private/app",
            "v1",
            "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    assertThat(authenticated.statusCode()).isEqualTo(200);
    assertThat(authenticated.headers().firstValue("Docker-Content-Digest"))
        .contains(pushed.digest());
  }

  @Test
  void aMultiArchPushIsAnIndexWhoseDigestTheTagResolvesTo(Testbed testbed) throws Exception {
    Registry registry = testbed.registry();
    PushedImage image =
        registry.pusher().pushMultiArch("demo/multi", "v1", "linux/amd64", "linux/arm64");

    HttpResponse<Void> head = head(registry, "demo/multi", "v1", null);
    assertThat(head.headers().firstValue("Content-Type")).contains(ImagePusher.OCI_INDEX);
    assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(image.digest());
    assertThat(image.platformDigests()).containsOnlyKeys("linux/amd64", "linux/arm64");
    for (String platformDigest : image.platformDigests().values()) {
      assertThat(head(registry, "demo/multi", platformDigest, null).statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<Void> head(
      Registry registry, String repository, String reference, String auth) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(registry.apiBase() + repository + "/manifests/" + reference))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header("Accept", ACCEPT);
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
  }
}
