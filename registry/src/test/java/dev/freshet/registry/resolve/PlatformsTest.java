package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.Digest;
import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Platforms of an index with attestation entries, and a config blob served from other storage. Fake
 * registry: the testbed's pusher writes no attestation entries, and docker-registry 2.8.2 with
 * filesystem storage never redirects blob downloads (S3- or GCS-backed registries do).
 */
class PlatformsTest {
  private static final String INDEX =
      "{\"schemaVersion\":2,\"manifests\":["
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
          + "a".repeat(64)
          + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
          + "b".repeat(64)
          + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
          + "d".repeat(64)
          + "\",\"size\":1,\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
          + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}";

  @Test
  void anIndexWithoutMediaTypeIsRecognisedAndAttestationsAreNotPlatforms() throws Exception {
    // Served as plain application/json: the body's "manifests" array says it is an index.
    try (FakeRegistry registry = FakeRegistry.start(request -> Reply.json(200, INDEX))) {
      ImageManifest index =
          Resolver.builder()
              .build()
              .manifest(
                  ImageReference.parse(registry.host() + "/team/app:v1"),
                  Optional.empty(),
                  Priority.BACKGROUND);

      assertThat(index.isIndex()).isTrue();
      assertThat(index.digest().toString()).isEqualTo(Manifests.digestOf(INDEX));
      assertThat(index.platforms())
          .containsExactly(Platform.parse("linux/amd64"), Platform.parse("linux/arm/v7"));
      assertThat(index.supports(Platform.parse("linux/arm/v7"))).isTrue();
      assertThat(index.supports(Platform.parse("linux/arm/v6"))).isFalse();
    }
  }

  @Test
  void followsABlobRedirectToStorageWithoutOurCredentials() throws Exception {
    String config = "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}";
    String configDigest = Digest.sha256Of(Manifests.bytes(config)).toString();
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"digest\":\""
            + configDigest
            + "\",\"size\":1},\"layers\":[]}";
    Credential credential = new Credential("ci", "pw");
    try (FakeRegistry storage = FakeRegistry.start(request -> Reply.json(200, config));
        FakeRegistry registry =
            FakeRegistry.start(
                request -> {
                  if (!credential.basicAuthorization().equals(request.header("Authorization"))) {
                    return Reply.status(401).header("WWW-Authenticate", "Basic realm=\"fake\"");
                  }
                  if (request.path().contains("/blobs/")) {
                    // another origin: 127.0.0.1 with another port, like a bucket's signed URL
                    return Reply.status(307)
                        .header("Location", storage.url("/bucket/config?sig=x"));
                  }
                  return Reply.body(200, Manifests.bytes(manifest), MediaTypes.OCI_MANIFEST);
                })) {
      ImageManifest read =
          Resolver.builder()
              .build()
              .manifest(
                  ImageReference.parse(registry.host() + "/team/app:v1"),
                  Optional.of(credential),
                  Priority.BACKGROUND);

      assertThat(read.platforms()).containsExactly(Platform.parse("linux/arm64/v8"));
      assertThat(storage.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.uri().getRawQuery()).isEqualTo("sig=x");
                assertThat(r.header("Authorization")).isNull();
              });
    }
  }
}
