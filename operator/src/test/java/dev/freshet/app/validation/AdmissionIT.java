package dev.freshet.app.validation;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.Workload;
import dev.freshet.it.AppCrd;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server refuses an invalid App and its message names the field and what is allowed. */
@WithTestbed
class AdmissionIT {

  @BeforeAll
  static void installCrd() {
    AppCrd.install(Testbed.get().client());
  }

  static Stream<Arguments> invalidApps() {
    return Stream.of(
        invalid(
            "malformed image reference",
            a -> a.getSpec().setImage("Registry//web::1"),
            "spec.image",
            "must be an image reference"),
        invalid(
            "negative replicas",
            a -> a.getSpec().setReplicas(-1),
            "spec.replicas",
            "should be greater than or equal to 0"),
        invalid(
            "container port out of range",
            a -> a.getSpec().getPorts().get(0).setContainerPort(70000),
            "spec.ports[0].containerPort",
            "should be less than or equal to 65535"),
        invalid(
            "service port out of range",
            a -> a.getSpec().getPorts().get(0).setServicePort(0),
            "spec.ports[0].servicePort",
            "should be greater than or equal to 1"),
        invalid(
            "duplicate port names",
            a -> a.getSpec().getPorts().add(new AppPort("http", 9090, 90)),
            "spec.ports",
            "port names must be unique"),
        invalid(
            "interval below 10s",
            a -> a.getSpec().getUpdate().setInterval("5s"),
            "spec.update.interval",
            "must be at least 10s"),
        invalid(
            "interval that is no duration",
            a -> a.getSpec().getUpdate().setInterval("soon"),
            "spec.update.interval",
            "should match"),
        invalid(
            "a Service without ports",
            a -> a.getSpec().setPorts(List.of()),
            "spec.ports",
            "a Service needs at least one entry in ports"));
  }

  private static Arguments invalid(
      String what, Consumer<App> breakIt, String field, String allowed) {
    return Arguments.of(what, breakIt, field, allowed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidApps")
  void invalidSpecIsRefused(
      String what, Consumer<App> breakIt, String field, String allowed, KubernetesClient client) {
    App app = app("invalid");
    breakIt.accept(app);

    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(field)
        .hasMessageContaining(allowed);
  }

  @Test
  void unknownWorkloadKindIsRefused(KubernetesClient client) {
    var app = asGeneric(client, app("invalid"));
    ((java.util.Map<String, Object>) app.getAdditionalProperties().get("spec"))
        .put("workload", "DaemonSet");

    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.workload")
        .hasMessageContaining("supported values: \"Deployment\", \"StatefulSet\"");
  }

  @Test
  void workloadCannotBeChangedOnAnExistingApp(KubernetesClient client) {
    client.resource(app("fixed")).create();
    App changed = client.resources(App.class).withName("fixed").get();
    changed.getSpec().setWorkload(Workload.StatefulSet);

    assertThatThrownBy(() -> client.resource(changed).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.workload")
        .hasMessageContaining("workload cannot be changed on an existing App");
  }

  @Test
  void validAppIsAccepted(KubernetesClient client) {
    App app = app("valid");
    app.getSpec().setImage("127.0.0.1:5000/team/web:1.2.3@sha256:" + "a".repeat(64));
    client.resource(app).create();
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource asGeneric(KubernetesClient client, App app) {
    var serialization = client.getKubernetesSerialization();
    return serialization.unmarshal(serialization.asJson(app), GenericKubernetesResource.class);
  }
}
