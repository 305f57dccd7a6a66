package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A digest a HEAD declares is believed only once a GET by that digest returned bytes that hash to
 * it. Fake registry: a real one declares only digests it serves; this is the registry (or proxy)
 * that lies.
 */
class ConfirmedDigestTest {
  private static final String BODY = Manifests.OCI_MANIFEST;
  private static final String DIGEST = Manifests.digestOf(BODY);

  private static Resolver confirming() {
    return Resolver.builder().confirmDeclaredDigests(true).build();
  }

  @Test
  void aDeclaredDigestTheRegistryDoesNotServeIsRefused() throws Exception {
    String unserved = "sha256:" + "2".repeat(64);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                request.path().endsWith("/manifests/v1")
                    ? Reply.status(200).header("Docker-Content-Digest", unserved)
                    : Reply.json(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"))) {
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");

      assertThatThrownBy(() -> confirming().resolve(ref, Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("declared to be " + unserved)
          .hasMessageContaining("serves no manifest by that digest");
      assertThat(registry.requests().get(1).path()).endsWith("/manifests/" + unserved);
    }
  }

  @Test
  void aDeclaredDigestWhoseManifestHashesDifferentlyIsRefused() throws Exception {
    String declared = "sha256:" + "3".repeat(64);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                request.method().equals("HEAD")
                    ? Reply.status(200).header("Docker-Content-Digest", declared)
                    : Reply.body(200, Manifests.bytes(BODY), MediaTypes.OCI_MANIFEST))) {
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");

      assertThatThrownBy(() -> confirming().resolve(ref, Optional.empty()))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("does not hash to " + declared);
    }
  }

  @Test
  void aDigestIsFetchedOnceThenHeadsAreEnough() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.body(200, Manifests.bytes(BODY), MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", DIGEST))) {
      Resolver resolver = confirming();
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");

      assertThat(resolver.resolve(ref, Optional.empty()).digest()).hasToString(DIGEST);
      assertThat(resolver.resolve(ref, Optional.empty()).digest()).hasToString(DIGEST);

      assertThat(registry.requests())
          .extracting(r -> r.method() + " " + r.path().replaceFirst(".*/manifests/", ""))
          .containsExactly("HEAD v1", "GET " + DIGEST, "HEAD v1");
    }
  }

  @Test
  void withoutConfirmationTheHeaderIsBelieved() throws Exception {
    String unserved = "sha256:" + "4".repeat(64);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> Reply.status(200).header("Docker-Content-Digest", unserved))) {
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");

      assertThat(Resolver.builder().build().resolve(ref, Optional.empty()).digest())
          .hasToString(unserved);
      assertThat(registry.requests()).hasSize(1);
    }
  }
}
