package dev.freshet.app.validation;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Kubectl;
import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An App stored under an older, laxer schema, which Freshet cannot read, is reported and skipped;
 * every other App in its namespace is deployed as usual. To store one, the test loosens the CRD for
 * a moment, creates the App and puts the real CRD back: stored objects stay as they are.
 */
@WithTestbed
class UnreadableAppIT {

  @Test
  @SuppressWarnings("unchecked")
  void anUnreadableAppIsReportedAndTheOthersAreDeployed(TestNamespace ns, KubernetesClient client) {
    KubernetesClient admin = Testbed.get().client();
    AppCrd.install(admin);
    var crds = admin.apiextensions().v1().customResourceDefinitions().withName("apps.freshet.dev");
    var serialization = client.getKubernetesSerialization();
    GenericKubernetesResource huge =
        serialization.unmarshal(serialization.asJson(app("huge")), GenericKubernetesResource.class);
    ((Map<String, Object>) huge.getAdditionalProperties().get("spec")).put("replicas", 2147483648L);
    try {
      crds.edit(
          crd -> {
            JSONSchemaProps replicas =
                crd.getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec")
                    .getProperties()
                    .get("replicas");
            replicas.setMaximum(null);
            replicas.setFormat(null);
            return crd;
          });
      // The API server takes up the laxer schema a moment after the update.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> client.resource(huge).inNamespace(ns.name()).create());
    } finally {
      Kubectl.run(
          "apply", "--server-side", "--force-conflicts", "-f", AppCrd.generatedFile().toString());
    }
    client.resource(app("fine")).create();

    try (var operator = RunningOperator.start(client, ns.name())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(client.apps().deployments().withName("fine").get()).isNotNull();
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("huge");
                          assertThat(e.getReason()).isEqualTo("SpecUnreadable");
                          assertThat(e.getMessage()).contains("spec.replicas");
                        });
              });
      assertThat(client.apps().deployments().withName("huge").get()).isNull();
      // The unreadable App broke no informer. Health is a moment's reading (a watch being
      // re-established reads unhealthy until it is back), so it is awaited, not sampled once.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> operator.operator().getRuntimeInfo().allEventSourcesAreHealthy());
      assertThat(client.resources(App.class).withName("huge").get().unreadableSpec()).isPresent();
    }
  }
}
