package dev.freshet.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An App whose stored spec Freshet cannot read is read anyway, marked, and stays marked through the
 * copies JOSDK makes, while the Apps beside it in the same list read normally.
 */
class TolerantSpecTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private static String app(String name, String replicas) {
    return """
        {"apiVersion": "freshet.dev/v1alpha1", "kind": "App",
         "metadata": {"name": "%s", "namespace": "ns"},
         "spec": {"image": "registry.example.com/team/web:1", "replicas": %s,
                  "ports": [{"name": "http", "containerPort": 8080}]}}
        """
        .formatted(name, replicas);
  }

  @Test
  void aNumberBeyondInt32MarksTheSpecUnreadableAndNamesTheField() {
    App app = serialization.unmarshal(app("huge", "2147483648"), App.class);

    assertThat(app.getMetadata().getName()).isEqualTo("huge");
    assertThat(app.unreadableSpec())
        .hasValueSatisfying(
            reason -> assertThat(reason).startsWith("spec.replicas: ").contains("2147483648"));
  }

  @Test
  void aWrongTypeDeepInTheSpecNamesItsPath() {
    String json = app("typed", "1").replace("\"containerPort\": 8080", "\"containerPort\": \"x\"");

    assertThat(serialization.unmarshal(json, App.class).unreadableSpec())
        .hasValueSatisfying(
            reason -> assertThat(reason).startsWith("spec.ports[0].containerPort: "));
  }

  @Test
  void aCopyOfAnUnreadableAppIsStillUnreadable() {
    App app = serialization.unmarshal(app("huge", "2147483648"), App.class);

    App copy = serialization.clone(app);

    assertThat(copy.unreadableSpec()).isPresent();
    assertThat(serialization.asJson(copy)).contains("\"replicas\":2147483648");
  }

  @Test
  void oneUnreadableAppDoesNotSpoilTheList() {
    String list =
        "{\"apiVersion\": \"freshet.dev/v1alpha1\", \"kind\": \"AppList\", \"items\": ["
            + app("huge", "2147483648")
            + ","
            + app("fine", "3")
            + "]}";

    @SuppressWarnings("unchecked")
    List<App> apps =
        serialization
            .unmarshal(list, (Class<DefaultKubernetesResourceList<App>>) (Class<?>) AppList.class)
            .getItems();

    assertThat(apps).hasSize(2);
    assertThat(apps.get(0).unreadableSpec()).isPresent();
    assertThat(apps.get(1).unreadableSpec()).isEmpty();
    assertThat(apps.get(1).getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void aReadableSpecReadsAsBefore() {
    App app = serialization.unmarshal(app("fine", "3"), App.class);

    assertThat(app.unreadableSpec()).isEmpty();
    assertThat(app.getSpec()).isExactlyInstanceOf(AppSpec.class);
    assertThat(app.getSpec().getPorts())
        .extracting(AppPort::getContainerPort)
        .containsExactly(8080);
  }

  /** The shape an informer lists Apps in. */
  static final class AppList extends DefaultKubernetesResourceList<App> {}
}
