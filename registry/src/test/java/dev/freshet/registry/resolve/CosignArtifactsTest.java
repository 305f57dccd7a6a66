package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.Digest;
import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.signature.KeyVerifier;
import dev.freshet.registry.signature.PublicKeys;
import dev.freshet.registry.signature.SignatureEnvelope;
import dev.freshet.registry.signature.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What cosign 3.1.3 itself wrote (src/test/resources/cosign-3.1.3, see its README), served by a
 * fake registry, found by the signature reader and verified against cosign's own {@code
 * cosign.pub}. Fake registry: the testbed's distribution 2.8.2 has no OCI 1.1 referrers API, so
 * only here is the API itself answered; the ITs with the cosign binary prove the referrers tag
 * schema and the {@code .sig} tag on the real registry.
 */
class CosignArtifactsTest {
  private static final String REPO = "/v2/exp/app/";
  private static final Digest BUNDLE_SIGNED =
      Digest.parse("sha256:81c9302e4ed6a97042ab00b542d7c5ce409caa9b6bc6f89ce7cad1933ea4b110");
  private static final Digest SIG_SIGNED =
      Digest.parse("sha256:9d52d4483c89f6183943f3939252e1e702f7fd02a803b64aac67975df93f68a4");
  private static final String BUNDLE_MANIFEST =
      "sha256:b7597f5bb24a317a66647c848f91d8764fd869f0b772513c9d9e27b168d5f644";
  private static final String BUNDLE_BLOB =
      "sha256:b31a1dd23dedd12351f060a05d52d48526b83261448311ccb8a506005cb1e27b";
  private static final String PAYLOAD_BLOB =
      "sha256:91cfb3d76a871bc5dc02736dadb96cbc973f5fe053afee6a9448eeb7abaac80b";
  private static final KeyVerifier VERIFIER =
      new KeyVerifier(Map.of("cosign.pub", PublicKeys.parse(text(resource("cosign.pub")))));

  @Test
  void theReferrersApiIsAskedFirstAndCosignsBundleVerifies() throws Exception {
    Map<String, Reply> routes = bundleArtifacts();
    routes.put(
        REPO + "referrers/" + BUNDLE_SIGNED,
        Reply.body(200, resource("referrers-index.json"), MediaTypes.OCI_INDEX));
    try (FakeRegistry registry = FakeRegistry.start(serve(routes))) {
      List<SignatureEnvelope> found = read(registry, BUNDLE_SIGNED);

      assertThat(found).hasSize(1).first().isInstanceOf(SignatureEnvelope.Bundle.class);
      assertThat(VERIFIER.verify(BUNDLE_SIGNED, found))
          .isEqualTo(new Verdict.Verified("cosign.pub", "referrer " + BUNDLE_MANIFEST));
      String fallbackTag = REPO + "manifests/" + tag(BUNDLE_SIGNED);
      assertThat(registry.requests()).noneMatch(r -> r.path().equals(fallbackTag));
    }
  }

  @Test
  void withoutTheApiTheReferrersTagIsRead() throws Exception {
    Map<String, Reply> routes = bundleArtifacts();
    routes.put(
        REPO + "manifests/" + tag(BUNDLE_SIGNED),
        Reply.body(200, resource("referrers-index.json"), MediaTypes.OCI_INDEX));
    try (FakeRegistry registry = FakeRegistry.start(serve(routes))) {
      List<SignatureEnvelope> found = read(registry, BUNDLE_SIGNED);

      assertThat(VERIFIER.verify(BUNDLE_SIGNED, found).trusted()).isTrue();
      assertThat(registry.requests(REPO + "referrers/")).hasSize(1);
    }
  }

  @Test
  void theClassicSigTagVerifies() throws Exception {
    Map<String, Reply> routes = new HashMap<>();
    routes.put(
        REPO + "manifests/" + tag(SIG_SIGNED) + ".sig",
        Reply.body(200, resource("sig-manifest.json"), MediaTypes.OCI_MANIFEST));
    routes.put(
        REPO + "blobs/" + PAYLOAD_BLOB,
        Reply.body(200, resource("simple-signing.json"), "application/octet-stream"));
    try (FakeRegistry registry = FakeRegistry.start(serve(routes))) {
      List<SignatureEnvelope> found = read(registry, SIG_SIGNED);

      assertThat(found).hasSize(1).first().isInstanceOf(SignatureEnvelope.SimpleSigning.class);
      assertThat(VERIFIER.verify(SIG_SIGNED, found))
          .isEqualTo(new Verdict.Verified("cosign.pub", "tag " + tag(SIG_SIGNED) + ".sig"));
    }
  }

  @Test
  void cosignsSignaturesServedForAnotherDigestAreRefused() throws Exception {
    Digest other = Digest.sha256Of("another image".getBytes(StandardCharsets.UTF_8));
    Map<String, Reply> routes = bundleArtifacts();
    routes.put(
        REPO + "referrers/" + other,
        Reply.body(200, resource("referrers-index.json"), MediaTypes.OCI_INDEX));
    routes.put(
        REPO + "manifests/" + tag(other) + ".sig",
        Reply.body(200, resource("sig-manifest.json"), MediaTypes.OCI_MANIFEST));
    routes.put(
        REPO + "blobs/" + PAYLOAD_BLOB,
        Reply.body(200, resource("simple-signing.json"), "application/octet-stream"));
    try (FakeRegistry registry = FakeRegistry.start(serve(routes))) {
      List<SignatureEnvelope> found = read(registry, other);

      assertThat(found).hasSize(2);
      Verdict verdict = VERIFIER.verify(other, found);
      assertThat(verdict).isInstanceOf(Verdict.Refused.class);
      assertThat(verdict.message())
          .contains("over " + SIG_SIGNED + ", another digest")
          .contains("over [" + BUNDLE_SIGNED + "], not this digest");
    }
  }

  /** The referrer manifest and its bundle, by digest; everything else answers 404. */
  private static Map<String, Reply> bundleArtifacts() {
    Map<String, Reply> routes = new HashMap<>();
    routes.put(
        REPO + "manifests/" + BUNDLE_MANIFEST,
        Reply.body(200, resource("bundle-manifest.json"), MediaTypes.OCI_MANIFEST));
    routes.put(
        REPO + "blobs/" + BUNDLE_BLOB,
        Reply.body(200, resource("bundle.json"), "application/octet-stream"));
    return routes;
  }

  private static FakeRegistry.Handler serve(Map<String, Reply> routes) {
    return request -> {
      Reply reply = routes.get(request.path());
      // A fresh 404 each time: distribution's answer for an unknown tag, and for the API it lacks.
      return reply != null
          ? reply
          : Reply.json(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
    };
  }

  private static List<SignatureEnvelope> read(FakeRegistry registry, Digest digest) {
    return Resolver.builder()
        .build()
        .signatures(ImageReference.parse(registry.host() + "/exp/app"), digest, Optional.empty());
  }

  private static String tag(Digest digest) {
    return digest.algorithm() + "-" + digest.encoded();
  }

  private static byte[] resource(String name) {
    try (InputStream in = CosignArtifactsTest.class.getResourceAsStream("/cosign-3.1.3/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource cosign-3.1.3/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
