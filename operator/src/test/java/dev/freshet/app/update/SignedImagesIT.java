package dev.freshet.app.update;

import static dev.freshet.app.update.AppUpdatesIT.app;
import static dev.freshet.app.update.AppUpdatesIT.assertRunning;
import static dev.freshet.app.update.AppUpdatesIT.image;
import static dev.freshet.app.update.AppUpdatesIT.policy;
import static dev.freshet.app.update.AppUpdatesIT.status;
import static dev.freshet.app.update.AppUpdatesIT.upToDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.VerifySpec;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.JdkCosign;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An App with {@code spec.update.verify} runs only digests the registry holds a valid cosign
 * signature for, by a key in its Secret. Signatures here are written with the JDK in cosign's
 * classic format ({@link JdkCosign}: the simple-signing payload under the {@code sha256-….sig}
 * tag), which also makes the forgeries cosign refuses to write: a signature copied under another
 * digest's tag.
 */
@WithTestbed
class SignedImagesIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);
  private static final KeyPair TRUSTED = JdkCosign.newKeyPair();
  private static final KeyPair STRANGER = JdkCosign.newKeyPair();

  @Test
  void onlyDigestsSignedByATrustedKeyOverThemselvesRollOut(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "signed/app-" + ns.name();
    createKeySecret(client, "cosign-keys");
    PushedImage unsigned = registry.pusher().push(repo, "dev");
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", unsigned.reference(), verified("cosign-keys"))).create();

      // Unsigned: no workload at all, since a template naming the bare tag would run it anyway.
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(upToDate(client, "web").getReason()).isEqualTo("SignatureInvalid");
                assertThat(upToDate(client, "web").getMessage())
                    .contains(unsigned.digest())
                    .contains("no cosign signature");
              });
      assertThat(client.apps().deployments().withName("web").get()).isNull();

      PushedImage signed = registry.pusher().push(repo, "dev");
      JdkCosign.signInRegistry(registry, signed, TRUSTED.getPrivate());
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", signed));

      PushedImage strangers = registry.pusher().push(repo, "dev");
      JdkCosign.signInRegistry(registry, strangers, STRANGER.getPrivate());
      awaitRefused(client, strangers, "not signed by any trusted key");
      assertThat(image(client, "web")).isEqualTo(signed.pinnedReference());

      // The trusted signature of the running digest, copied under the new digest's .sig tag.
      PushedImage moved = registry.pusher().push(repo, "dev");
      registry
          .pusher()
          .copyManifest(repo, JdkCosign.sigTag(signed.digest()), JdkCosign.sigTag(moved.digest()));
      awaitRefused(client, moved, "over " + signed.digest() + ", another digest");
      assertThat(image(client, "web")).isEqualTo(signed.pinnedReference());

      // A multi-arch image is signed at its index digest, the digest Freshet pins.
      PushedImage multiArch =
          registry.pusher().pushMultiArch(repo, "dev", "linux/amd64", "linux/arm64");
      JdkCosign.signInRegistry(registry, multiArch, TRUSTED.getPrivate());
      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(() -> assertRunning(client, "web", multiArch));

      assertThat(status(client, "web").getImage().getQuarantinedDigests())
          .containsExactly(strangers.digest(), moved.digest());
      // Events are written by the recorder's own thread, a moment after the status.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().list().getItems())
                      .filteredOn(e -> e.getReason().equals("SignatureInvalid"))
                      .extracting(e -> e.getMessage())
                      .anySatisfy(m -> assertThat(m).contains(unsigned.digest()))
                      .anySatisfy(m -> assertThat(m).contains(strangers.digest()))
                      .anySatisfy(m -> assertThat(m).contains(moved.digest())));
    }
  }

  @Test
  void aMissingKeySecretIsReportedAndNothingRolls(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    PushedImage image = registry.pusher().push("signed/nokeys-" + ns.name(), "dev");
    JdkCosign.signInRegistry(registry, image, TRUSTED.getPrivate());
    try (var operator = RunningOperator.start(client, ns.name())) {
      client.resource(app("web", image.reference(), verified("absent"))).create();

      await()
          .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(upToDate(client, "web").getReason()).isEqualTo("VerificationInvalid");
                assertThat(upToDate(client, "web").getMessage())
                    .contains(
                        "Secret " + ns.name() + "/absent (the verification keys) does not exist");
              });
      assertThat(client.apps().deployments().withName("web").get()).isNull();
      // Events are written by the recorder's own thread, a moment after the status.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().list().getItems())
                      .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("VerificationInvalid")));
    }
  }

  @Test
  void keylessVerificationIsRefusedAtAdmissionWithAReason(
      TestNamespace ns, KubernetesClient client) {
    dev.freshet.it.AppCrd.install(Testbed.get().client());
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    var verify = new VerifySpec();
    verify.setKeyless(new VerifySpec.KeylessSpec());
    update.setVerify(verify);

    assertThatThrownBy(() -> client.resource(app("web", "127.0.0.1:5000/x:dev", update)).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("keyless verification")
        .hasMessageContaining("not supported yet");
  }

  private static UpdateSpec verified(String keySecret) {
    UpdateSpec update = policy(UpdateSpec.Policy.DIGEST);
    var verify = new VerifySpec();
    verify.setKeySecret(keySecret);
    update.setVerify(verify);
    return update;
  }

  private static void createKeySecret(KubernetesClient client, String name) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToStringData("cosign.pub", JdkCosign.publicPem(TRUSTED.getPublic()))
                .addToStringData("README", "not a key: ignored")
                .build())
        .create();
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
              assertThat(upToDate(client, "web").getReason()).isEqualTo("SignatureInvalid");
            });
  }
}
