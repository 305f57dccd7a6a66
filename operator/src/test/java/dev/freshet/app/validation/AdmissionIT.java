package dev.freshet.app.validation;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.WindowSpec;
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
            "must be a duration of whole hours, minutes or seconds"),
        invalid(
            "interval in years",
            a -> a.getSpec().getUpdate().setInterval("1y"),
            "spec.update.interval",
            "must be a duration of whole hours, minutes or seconds"),
        invalid(
            "interval beyond what CEL's duration holds",
            a -> a.getSpec().getUpdate().setInterval("99999999999h"),
            "spec.update.interval",
            "each number at most 6 digits"),
        invalid(
            "interval above a day",
            a -> a.getSpec().getUpdate().setInterval("25h"),
            "spec.update.interval",
            "must be at most 24h"),
        invalid(
            "replicas above the maximum",
            a -> a.getSpec().setReplicas(10_001),
            "spec.replicas",
            "should be less than or equal to 10000"),
        invalid(
            "two ports on one containerPort",
            a -> a.getSpec().getPorts().add(new AppPort("metrics", 8080, 9090)),
            "spec.ports",
            "two ports have the same containerPort"),
        invalid(
            "two ports on one Service port",
            a -> a.getSpec().getPorts().add(new AppPort("metrics", 9090, 80)),
            "spec.ports",
            "two ports have the same Service port"),
        invalid(
            "a name with dots", a -> a.getMetadata().setName("web.v2"), "metadata.name", "no dots"),
        invalid(
            "a name over 63 characters",
            a -> a.getMetadata().setName("w".repeat(64)),
            "metadata.name",
            "at most 63"),
        invalid(
            "a pattern RE2 cannot run",
            a -> pattern(a, "^(?<v>a)\\1$"),
            "spec.update.pattern",
            "must be an RE2 regular expression"),
        invalid(
            "a pattern without a named group",
            a -> pattern(a, "^main-([0-9]+)$"),
            "spec.update.pattern",
            "needs a named group"),
        invalid(
            "a window schedule of four fields",
            a -> window(a, "0 22 * *", "2h", null),
            "spec.update.windows[0].schedule",
            "must be a five-field cron schedule"),
        invalid(
            "a window opening at minute 61",
            a -> window(a, "61 22 * * 1-5", "2h", null),
            "spec.update.windows[0].schedule",
            "with values in range"),
        invalid(
            "a window without a duration",
            a -> window(a, "0 22 * * 1-5", null, null),
            "spec.update.windows[0].duration",
            "Required value"),
        invalid(
            "a window longer than a week",
            a -> window(a, "0 22 * * 1-5", "169h", null),
            "spec.update.windows[0].duration",
            "must be from 1m to 168h"),
        invalid(
            "a window in something that is no time zone",
            a -> window(a, "0 22 * * 1-5", "2h", "Paris, France"),
            "spec.update.windows[0].timeZone",
            "must be an IANA time zone"),
        invalid(
            "a window in a time zone that does not exist",
            a -> window(a, "0 22 * * 1-5", "2h", "Europe/Atlantis"),
            "spec.update.windows[0].timeZone",
            "unknown time zone Europe/Atlantis"),
        invalid(
            "a minimum age longer than a week",
            a -> a.getSpec().getUpdate().setMinAge("8d"),
            "spec.update.minAge",
            "must be a duration of whole hours, minutes or seconds"),
        invalid(
            "a minimum age above 168h",
            a -> a.getSpec().getUpdate().setMinAge("169h"),
            "spec.update.minAge",
            "must be at most 168h"),
        invalid(
            "a Service without ports",
            a -> a.getSpec().setPorts(List.of()),
            "spec.ports",
            "a Service needs at least one entry in ports"));
  }

  private static void window(App app, String schedule, String duration, String zone) {
    var window = new WindowSpec();
    window.setSchedule(schedule);
    window.setDuration(duration);
    window.setTimeZone(zone);
    app.getSpec().getUpdate().setWindows(List.of(window));
  }

  private static void pattern(App app, String pattern) {
    app.getSpec().getUpdate().setPolicy(UpdateSpec.Policy.PATTERN);
    app.getSpec().getUpdate().setPattern(pattern);
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

  /** Jackson reads replicas into an int: a larger number must never be stored. */
  @Test
  @SuppressWarnings("unchecked")
  void anIntegerBeyondInt32IsRefusedNamingTheField(KubernetesClient client) {
    var app = asGeneric(client, app("huge"));
    ((java.util.Map<String, Object>) app.getAdditionalProperties().get("spec"))
        .put("replicas", 2147483648L);

    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.replicas")
        .hasMessageContaining("should be less than or equal to 10000");
  }

  @Test
  @SuppressWarnings("unchecked")
  void anEmbeddedIntegerBeyondInt32IsRefusedNamingTheField(KubernetesClient client) {
    var app = asGeneric(client, app("probe"));
    ((java.util.Map<String, Object>) app.getAdditionalProperties().get("spec"))
        .put(
            "readinessProbe",
            java.util.Map.of(
                "periodSeconds", 2147483648L, "tcpSocket", java.util.Map.of("port", 80)));

    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.readinessProbe.periodSeconds")
        .hasMessageContaining("should be less than or equal to");
  }

  @Test
  void aPatternAndIntervalWithinTheRulesAreAccepted(KubernetesClient client) {
    App app = app("patterned");
    pattern(app, "^main-(?P<build>[0-9]+)-[0-9a-f]{7}$");
    app.getSpec().getUpdate().setInterval("24h");
    client.resource(app).create();
  }

  @Test
  void windowsApprovalAndMinimumAgeWithinTheRulesAreAccepted(KubernetesClient client) {
    App app = app("waiting");
    app.getSpec().getUpdate().setApproval(UpdateSpec.Approval.Manual);
    app.getSpec().getUpdate().setMinAge("0s");
    window(app, "*/15 9-17,22 1-31 jan-dec MON-fri", "1m", "America/Argentina/Buenos_Aires");
    client.resource(app).create();
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
