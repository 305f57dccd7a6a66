package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.Digest;
import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Registries that omit Docker-Content-Digest, or answer with content that does not match. Fake
 * registry: docker-registry 2.8.2 always sends a correct header, so the fallback and the checks
 * cannot be reached with it.
 */
class DigestVerificationTest {
  private static final String BODY = Manifests.OCI_MANIFEST;

  @Test
  void withoutTheHeaderTheBodyIsFetchedAndHashed() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> Reply.body(200, Manifests.bytes(BODY), MediaTypes.OCI_MANIFEST))) {
      ResolvedImage resolved =
          Resolver.builder()
              .build()
              .resolve(ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty());

      assertThat(resolved.digest().toString()).isEqualTo(Manifests.digestOf(BODY));
      assertThat(resolved.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(resolved.reference())
          .hasToString(registry.host() + "/team/app:v1@" + Manifests.digestOf(BODY));
      assertThat(registry.requests())
          .extracting(FakeRegistry.Request::method)
          .containsExactly("HEAD", "GET");
      assertThat(registry.requests().get(0).header("Accept"))
          .isEqualTo(String.join(", ", MediaTypes.ACCEPT));
    }
  }

  @Test
  void refusesABodyOverTheSizeCap() throws Exception {
    byte[] huge = new byte[ManifestBodies.MAX_MANIFEST_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    try (FakeRegistry registry =
        FakeRegistry.start(request -> Reply.body(200, huge, MediaTypes.OCI_MANIFEST))) {
      assertThatThrownBy(
              () ->
                  Resolver.builder()
                      .build()
                      .resolve(
                          ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("the limit is " + ManifestBodies.MAX_MANIFEST_BYTES);
    }
  }

  @Test
  void refusesABodyThatDoesNotHashToTheDeclaredDigest() throws Exception {
    String wrong = "sha256:" + "0".repeat(64);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                request.method().equals("HEAD")
                    ? Reply.status(200)
                    : Reply.body(200, Manifests.bytes(BODY), MediaTypes.OCI_MANIFEST)
                        .header("Docker-Content-Digest", wrong))) {
      assertThatThrownBy(
              () ->
                  Resolver.builder()
                      .build()
                      .resolve(
                          ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("declared " + wrong);
    }
  }

  @Test
  void refusesContentThatDoesNotMatchThePinnedDigest() throws Exception {
    Digest pinned = Digest.parse("sha256:" + "1".repeat(64));
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> Reply.body(200, Manifests.bytes(BODY), MediaTypes.OCI_MANIFEST))) {
      ImageReference ref =
          ImageReference.parse(registry.host() + "/team/app:v1").withDigest(pinned);

      assertThatThrownBy(() -> Resolver.builder().build().resolve(ref, Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("does not hash to " + pinned);
      assertThat(registry.requests().get(1).path()).endsWith("/manifests/" + pinned);
    }
  }

  @Test
  void refusesAHeaderThatIsNotADigest() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> Reply.status(200).header("Docker-Content-Digest", "sha256:nope"))) {
      assertThatThrownBy(
              () ->
                  Resolver.builder()
                      .build()
                      .resolve(
                          ImageReference.parse(registry.host() + "/team/app:v1"), Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("is not a digest");
    }
  }
}
