package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.VerifySpec;
import dev.freshet.it.RunningOperator;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.testbed.Cosign;
import dev.freshet.testbed.Cosign.Format;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An App with {@code spec.update.verify.keySecret} rolls out what the real cosign binary signed
 * with the key whose {@code cosign.pub} is in the Secret, in both formats cosign writes, and
 * nothing else. The testbed's registry (distribution 2.8.2) has no OCI 1.1 referrers API, so
 * cosign's default bundle format lands under the referrers tag schema ({@code sha256-<hex>} holding
 * an index): these tests prove that fallback and the classic {@code sha256-<hex>.sig} tag, not the
 * referrers API itself.
 *
 * <p>Signed images are pushed by digest, signed, and only then tagged, as a pipeline that signs
 * before it promotes: no poll sees them unsigned, which would withhold them for the 30 s an
 * unsigned verdict stands.
 */
@WithTestbed
class CosignSignedImagesIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);
  private static final String WEB = "Deployment/web";

  @Test
  void signedPushesInBothCosignFormatsRollAndAnUnsignedOneWaitsWithItsReason(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "cosign/formats-" + ns.name();
    try (var cosign = Cosign.of(testbed);
        var templates = TemplateRecorder.start(client, ns.name());
        var operator = RunningOperator.start(client, ns.name())) {
      Cosign.KeyPair trusted = cosign.generateKeyPair();
      createKeySecret(client, trusted);

      PushedImage bundle = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      client.resource(app("web", bundle.reference(), verified())).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", bundle));

      PushedImage legacy = pushSigned(registry, repo, cosign, trusted, Format.LEGACY);
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", legacy));

      PushedImage unsigned = registry.pusher().push(repo, "dev");
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(upToDate(client, "web").getStatus()).isEqualTo("False");
                assertThat(upToDate(client, "web").getReason()).isEqualTo("SignatureInvalid");
                assertThat(upToDate(client, "web").getMessage())
                    .contains(unsigned.digest())
                    .contains("no cosign signature");
                assertThat(signatureEvents(client))
                    .anySatisfy(m -> assertThat(m).contains(unsigned.digest()));
              });
      // Withheld, not refused: CI may still sign it.
      assertThat(status(client, "web").getImage().getQuarantinedDigests()).isNullOrEmpty();
      assertThat(image(client, "web")).isEqualTo(legacy.pinnedReference());
      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images(WEB))
          .containsExactly(bundle.pinnedReference(), legacy.pinnedReference());
    }
  }

  @Test
  void aPushSignedWithAnotherKeyIsRefusedAndQuarantinedAndTheNextTrustedOneRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "cosign/stranger-" + ns.name();
    try (var cosign = Cosign.of(testbed);
        var templates = TemplateRecorder.start(client, ns.name());
        var operator = RunningOperator.start(client, ns.name())) {
      Cosign.KeyPair trusted = cosign.generateKeyPair();
      Cosign.KeyPair stranger = cosign.generateKeyPair();
      createKeySecret(client, trusted);

      PushedImage first = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      client.resource(app("web", first.reference(), verified())).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", first));

      PushedImage strangers = pushSigned(registry, repo, cosign, stranger, Format.BUNDLE);
      awaitRefused(client, strangers, "not signed by any trusted key");
      assertThat(image(client, "web")).isEqualTo(first.pinnedReference());

      PushedImage next = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", next));

      assertThat(status(client, "web").getImage().getQuarantinedDigests())
          .containsExactly(strangers.digest());
      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images(WEB))
          .containsExactly(first.pinnedReference(), next.pinnedReference());
    }
  }

  @Test
  void aSignatureMovedUnderAnotherDigestsTagIsRefusedInEitherFormat(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "cosign/moved-" + ns.name();
    try (var cosign = Cosign.of(testbed);
        var templates = TemplateRecorder.start(client, ns.name());
        var operator = RunningOperator.start(client, ns.name())) {
      Cosign.KeyPair trusted = cosign.generateKeyPair();
      createKeySecret(client, trusted);

      PushedImage signed = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      cosign.sign(trusted, signed, Format.LEGACY);
      client.resource(app("web", signed.reference(), verified())).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", signed));

      // The referrers index of the signed digest, copied under the new digest's fallback tag: it
      // names the signed digest's bundle, whose statement names the signed digest.
      PushedImage movedBundle = registry.pusher().push(repo, "staged");
      registry
          .pusher()
          .copyManifest(repo, referrersTag(signed.digest()), referrersTag(movedBundle.digest()));
      promote(registry, movedBundle);
      awaitRefused(client, movedBundle, signed.digest() + "], not this digest");

      // The classic signature manifest, copied under the new digest's .sig tag.
      PushedImage movedSig = registry.pusher().push(repo, "staged");
      registry
          .pusher()
          .copyManifest(
              repo,
              referrersTag(signed.digest()) + ".sig",
              referrersTag(movedSig.digest()) + ".sig");
      promote(registry, movedSig);
      awaitRefused(client, movedSig, "over " + signed.digest() + ", another digest");

      assertThat(image(client, "web")).isEqualTo(signed.pinnedReference());
      assertThat(status(client, "web").getImage().getQuarantinedDigests())
          .containsExactly(movedBundle.digest(), movedSig.digest());
      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images(WEB)).containsExactly(signed.pinnedReference());
    }
  }

  @Test
  void aMultiArchIndexSignedAtItsIndexDigestRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "cosign/multiarch-" + ns.name();
    try (var cosign = Cosign.of(testbed);
        var operator = RunningOperator.start(client, ns.name())) {
      Cosign.KeyPair trusted = cosign.generateKeyPair();
      createKeySecret(client, trusted);

      PushedImage single = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      client.resource(app("web", single.reference(), verified())).create();
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", single));

      PushedImage staged =
          registry.pusher().pushMultiArch(repo, "staged", "linux/amd64", "linux/arm64");
      // Only the index is signed (no --recursive): its digest is the one Freshet pins.
      cosign.sign(trusted, staged, Format.BUNDLE);
      PushedImage multiArch = promote(registry, staged);
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", multiArch));
    }
  }

  /**
   * A new image pushed under a staging tag, signed at its digest with {@code key}, then tagged
   * {@code dev}, the tag the Apps follow.
   */
  static PushedImage pushSigned(
      Registry registry, String repo, Cosign cosign, Cosign.KeyPair key, Format format) {
    PushedImage staged = registry.pusher().push(repo, "staged");
    cosign.sign(key, staged, format);
    return promote(registry, staged);
  }

  /** Tags {@code staged}'s digest {@code dev}. */
  static PushedImage promote(Registry registry, PushedImage staged) {
    registry.pusher().copyManifest(staged.repository(), staged.digest(), "dev");
    return new PushedImage(
        staged.registry(), staged.repository(), "dev", staged.digest(), staged.platformDigests());
  }

  /** The referrers tag schema's tag for {@code digest}, {@code sha256-<hex>}. */
  static String referrersTag(String digest) {
    return digest.replace(':', '-');
  }

  private static UpdateSpec verified() {
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    var verify = new VerifySpec();
    verify.setKeySecret("cosign-keys");
    update.setVerify(verify);
    return update;
  }

  /** The Secret {@code cosign-keys} holding {@code cosign.pub} as cosign wrote it. */
  static void createKeySecret(KubernetesClient client, Cosign.KeyPair key) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cosign-keys")
                .endMetadata()
                .addToStringData("cosign.pub", key.publicPem())
                .build())
        .create();
  }

  static List<String> signatureEvents(KubernetesClient client) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> "SignatureInvalid".equals(e.getReason()))
        .map(e -> e.getMessage())
        .toList();
  }

  private static void awaitRefused(KubernetesClient client, PushedImage image, String why) {
    await()
        .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
        .untilAsserted(
            () -> {
              assertThat(status(client, "web").getImage().getQuarantinedDigests())
                  .contains(image.digest());
              assertThat(status(client, "web").getHistory().get(0))
                  .satisfies(
                      entry -> {
                        assertThat(entry.getOutcome()).isEqualTo("SignatureInvalid");
                        assertThat(entry.getToDigest()).isEqualTo(image.digest());
                        assertThat(entry.getMessage()).contains(why);
                      });
              assertThat(upToDate(client, "web").getStatus()).isEqualTo("False");
              assertThat(upToDate(client, "web").getReason()).isEqualTo("SignatureInvalid");
              assertThat(signatureEvents(client))
                  .anySatisfy(m -> assertThat(m).contains(image.digest()));
            });
  }
}
