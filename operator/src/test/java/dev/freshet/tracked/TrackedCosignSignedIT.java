package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.TemplateRecorder;
import dev.freshet.testbed.Cosign;
import dev.freshet.testbed.Cosign.Format;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tracked Deployment with {@code freshet.dev/verify-key-secret} rolls out what the real cosign
 * binary signed with the key of its Secret's {@code cosign.pub}, and quarantines a digest signed
 * with another key. Signed images are pushed by digest, signed, then tagged, so no poll sees them
 * unsigned (an unsigned verdict stands 30 s).
 */
@WithTestbed
class TrackedCosignSignedIT {
  private static final Duration ONE_INTERVAL_AND_A_ROLLOUT = Duration.ofSeconds(40);

  @Test
  void signedDigestsRollAndOneSignedWithAnotherKeyIsQuarantined(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Registry registry = testbed.registry();
    String repo = "tracked/cosign-" + ns.name();
    try (var cosign = Cosign.of(testbed);
        var templates = TemplateRecorder.start(client, ns.name())) {
      Cosign.KeyPair trusted = cosign.generateKeyPair();
      Cosign.KeyPair stranger = cosign.generateKeyPair();
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("cosign-keys")
                  .endMetadata()
                  .addToStringData("cosign.pub", trusted.publicPem())
                  .build())
          .create();
      PushedImage first = pushSigned(registry, repo, cosign, trusted, Format.BUNDLE);
      Deployment web = Workloads.deployment("web", first.reference(), 2);
      web.getMetadata()
          .setAnnotations(
              Map.of(
                  "freshet.dev/policy", "digest",
                  "freshet.dev/interval", "10s",
                  "freshet.dev/verify-key-secret", "cosign-keys"));
      client.resource(web).create();

      try (var freshet = new TrackedOperator(testbed, ns.name())) {
        await()
            .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
            .untilAsserted(
                () -> TrackedRollbackIT.allReadyOn(client, "Deployment", "web", first, 2));

        PushedImage strangers = pushSigned(registry, repo, cosign, stranger, Format.BUNDLE);
        await()
            .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
            .untilAsserted(
                () -> {
                  assertThat(annotations(client))
                      .containsEntry(TrackedRecord.QUARANTINED, "app=" + strangers.digest())
                      .containsEntry("status.freshet.dev/up-to-date", "False")
                      .hasEntrySatisfying(
                          "status.freshet.dev/message",
                          m -> assertThat(m).contains(strangers.digest(), "quarantined"));
                  // The message moves on to "is quarantined"; the Event keeps the reason.
                  assertThat(client.v1().events().list().getItems())
                      .filteredOn(e -> "SignatureInvalid".equals(e.getReason()))
                      .anySatisfy(
                          e ->
                              assertThat(e.getMessage())
                                  .contains(strangers.digest(), "not signed by any trusted key"));
                });
        assertThat(TrackedRollbackIT.image(client, "Deployment", "web"))
            .isEqualTo(first.pinnedReference());

        PushedImage next = pushSigned(registry, repo, cosign, trusted, Format.LEGACY);
        await()
            .atMost(ONE_INTERVAL_AND_A_ROLLOUT)
            .untilAsserted(
                () -> TrackedRollbackIT.allReadyOn(client, "Deployment", "web", next, 2));
        assertThat(annotations(client))
            .containsEntry(TrackedRecord.QUARANTINED, "app=" + strangers.digest());
        assertThat(templates.watchFailures()).isEmpty();
        assertThat(templates.images("Deployment/web"))
            .containsExactly(first.reference(), first.pinnedReference(), next.pinnedReference());
      }
    }
  }

  /** A new image pushed under a staging tag, signed at its digest, then tagged {@code dev}. */
  private static PushedImage pushSigned(
      Registry registry, String repo, Cosign cosign, Cosign.KeyPair key, Format format) {
    PushedImage staged = registry.pusher().push(repo, "staged");
    cosign.sign(key, staged, format);
    registry.pusher().copyManifest(repo, staged.digest(), "dev");
    return new PushedImage(
        staged.registry(), repo, "dev", staged.digest(), staged.platformDigests());
  }

  private static Map<String, String> annotations(KubernetesClient client) {
    return client.apps().deployments().withName("web").get().getMetadata().getAnnotations();
  }
}
