package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.VerifySpec;
import dev.freshet.it.Apps;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import dev.freshet.tracked.TrackedStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pull secrets are read only in the workload's own namespace. The API server accepts {@code
 * namespace/name} in a pod template's {@code imagePullSecrets} (and in a service account's), and
 * the operator's ServiceAccount may get Secrets in every namespace (deploy/permissions.txt), so
 * Freshet itself refuses the reference: an App, a tracked Deployment and a tracked Deployment whose
 * service account names the other namespace's Secret are each reported (the App's {@code Degraded}
 * condition, the tracked workloads' status message, a {@code PullSecretRefused} Event for each),
 * and nothing is pinned with the credential it holds. Verification keys cannot be named across
 * namespaces at all: the App's schema refuses {@code namespace/name}, and so does the tracked
 * annotation.
 */
@WithTestbed
class CrossNamespacePullSecretIT {

  private static final Duration REPORTED = Duration.ofSeconds(60);

  @Test
  void aPullSecretOfAnotherNamespaceIsRefusedReportedAndNeverUsed(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    Instant begun = Instant.now();
    KubernetesClient admin = testbed.client();
    Registry registry = testbed.authRegistry();
    PushedImage image = registry.pusher().push("private/" + ns.name(), "dev");
    String other = "pull-secrets-elsewhere";
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build())
        .serverSideApply();
    try {
      admin.secrets().inNamespace(other).resource(registry.pullSecret("regcred")).serverSideApply();
      String elsewhere = other + "/regcred";

      Deployment legacy =
          tracked(
              Workloads.deployment("legacy", image.reference(), 1),
              Map.of("freshet.dev/policy", "digest"));
      legacy.getSpec().getTemplate().getSpec().setImagePullSecrets(List.of(ref(elsewhere)));
      client.resource(legacy).create();
      client
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("builder")
                  .endMetadata()
                  .withImagePullSecrets(ref(elsewhere))
                  .build())
          .create();
      Deployment api =
          tracked(
              Workloads.deployment("api", image.reference(), 1),
              Map.of("freshet.dev/policy", "digest"));
      api.getSpec().getTemplate().getSpec().setServiceAccountName("builder");
      client.resource(api).create();
      App web = app(image);
      web.getSpec().setImagePullSecrets(List.of(ref(elsewhere)));

      Instant setUp = Instant.now();
      try (var freshet = RunningOperator.start(client, ns.name())) {
        Instant started = Instant.now();
        client.resource(web).create();
        await()
            .atMost(REPORTED)
            .untilAsserted(
                () -> {
                  assertThat(degraded(client, "web"))
                      .satisfies(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("PullSecretRefused");
                            assertThat(c.getMessage())
                                .isEqualTo(
                                    "imagePullSecrets names \""
                                        + elsewhere
                                        + "\", a Secret in another namespace: Freshet reads pull"
                                        + " secrets only in the workload's own namespace ("
                                        + ns.name()
                                        + "); copy the Secret there and name it alone");
                          });
                  assertThat(message(client, "legacy"))
                      .startsWith("imagePullSecrets names \"" + elsewhere + "\", a Secret in");
                  assertThat(message(client, "api"))
                      .startsWith(
                          "the imagePullSecrets of service account builder names \""
                              + elsewhere
                              + "\", a Secret in another namespace");
                  assertThat(refusals(client))
                      .containsExactlyInAnyOrder("App/web", "Deployment/legacy", "Deployment/api");
                });
        Instant reported = Instant.now();
        // Refused before anything was asked of the registry: nothing pinned, the App's
        // Deployment not even created.
        assertThat(templateImage(client, "legacy")).isEqualTo(image.reference());
        assertThat(templateImage(client, "api")).isEqualTo(image.reference());
        assertThat(client.apps().deployments().withName("web").get()).isNull();

        System.out.printf(
            "cross-namespace pull secrets: set up %d ms, operator started %d ms, three refusals"
                + " reported %d ms after%n",
            Duration.between(begun, setUp).toMillis(),
            Duration.between(setUp, started).toMillis(),
            Duration.between(started, reported).toMillis());
      }

      App keysElsewhere = app(image);
      keysElsewhere.getMetadata().setName("signed");
      var verify = new VerifySpec();
      verify.setKeySecret(other + "/cosign-keys");
      keysElsewhere.getSpec().getUpdate().setVerify(verify);
      assertThatThrownBy(() -> client.resource(keysElsewhere).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.update.verify.keySecret");
    } finally {
      admin.namespaces().withName(other).delete();
    }
  }

  private static Deployment tracked(Deployment deployment, Map<String, String> annotations) {
    deployment.getMetadata().setAnnotations(annotations);
    return deployment;
  }

  private static LocalObjectReference ref(String name) {
    return new LocalObjectReference(name);
  }

  private static App app(PushedImage image) {
    App app = Apps.app("web");
    app.getSpec().setImage(image.reference());
    app.getSpec().setReplicas(1);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }

  private static Condition degraded(KubernetesClient client, String app) {
    App current = client.resources(App.class).withName(app).get();
    assertThat(current.getStatus()).isNotNull();
    return current.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Degraded"))
        .findFirst()
        .orElseThrow();
  }

  private static String message(KubernetesClient client, String deployment) {
    return client
        .apps()
        .deployments()
        .withName(deployment)
        .get()
        .getMetadata()
        .getAnnotations()
        .get(TrackedStatus.MESSAGE);
  }

  private static List<String> refusals(KubernetesClient client) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> "PullSecretRefused".equals(e.getReason()))
        .map(Event::getInvolvedObject)
        .map(o -> o.getKind() + "/" + o.getName())
        .toList();
  }

  private static String templateImage(KubernetesClient client, String deployment) {
    Deployment d = client.apps().deployments().withName(deployment).get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
