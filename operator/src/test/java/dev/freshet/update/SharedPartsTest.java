package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cached object shares its empty lists, maps and strings and still says exactly what it said. */
class SharedPartsTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: ns
        labels: {app: web}
        annotations: {freshet.dev/policy: digest}
        managedFields:
        - {manager: freshet, operation: Apply, fieldsType: FieldsV1, fieldsV1: {f:spec: {f:template: {
            f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:image: {}, f:name: {}}}}}}}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: app
              image: registry.example/web:1
              resources: {limits: {memory: 128Mi}}
      status:
        replicas: 2
        conditions:
        - type: Available
          status: "True"
          reason: MinimumReplicasAvailable
      """;

  @Test
  void emptyListsAndMapsBecomeTheSharedOnes() {
    Deployment deployment = Serialization.unmarshal(DEPLOYMENT, Deployment.class);

    SharedParts.share(deployment);

    assertThat(deployment.getAdditionalProperties()).isSameAs(Map.of());
    assertThat(deployment.getMetadata().getFinalizers()).isSameAs(List.of());
    assertThat(deployment.getMetadata().getAdditionalProperties()).isSameAs(Map.of());
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).isSameAs(List.of());
    assertThat(pod.getContainers().get(0).getEnv()).isSameAs(List.of());
    assertThat(pod.getContainers().get(0).getResources().getRequests()).isSameAs(Map.of());
    assertThat(deployment.getStatus().getConditions().get(0).getAdditionalProperties())
        .isSameAs(Map.of());
    Map<String, Object> tree =
        deployment.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
    assertThat(path(tree, "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}"))
        .containsEntry("f:image", Map.of())
        .extractingByKey("f:image")
        .isSameAs(Map.of());
  }

  @Test
  void equalStringsOfTwoObjectsBecomeOne() {
    Deployment one = Serialization.unmarshal(DEPLOYMENT, Deployment.class);
    Deployment two = Serialization.unmarshal(DEPLOYMENT, Deployment.class);
    assertThat(one.getMetadata().getNamespace()).isNotSameAs(two.getMetadata().getNamespace());

    SharedParts.share(one);
    SharedParts.share(two);

    assertThat(one.getMetadata().getNamespace()).isSameAs(two.getMetadata().getNamespace());
    assertThat(one.getMetadata().getLabels().get("app"))
        .isSameAs(two.getMetadata().getLabels().get("app"));
    assertThat(one.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isSameAs(two.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertThat(one.getStatus().getConditions().get(0).getReason())
        .isSameAs(two.getStatus().getConditions().get(0).getReason());
    assertThat(one.getMetadata().getManagedFields().get(0).getManager())
        .isSameAs(two.getMetadata().getManagedFields().get(0).getManager());
  }

  @Test
  void whatIsNotEmptyIsKeptAsItWas() {
    Deployment deployment = Serialization.unmarshal(DEPLOYMENT, Deployment.class);

    SharedParts.share(deployment);

    assertThat(Serialization.asJson(deployment))
        .isEqualTo(Serialization.asJson(Serialization.unmarshal(DEPLOYMENT, Deployment.class)));
    assertThat(deployment.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/web:1");
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits())
        .containsKey("memory");
  }

  @Test
  void anAppSharesItsMetadataThoughItsOwnClassesAreNotWalked() {
    String yaml =
        """
        apiVersion: freshet.dev/v1alpha1
        kind: App
        metadata:
          name: web
          namespace: ns
          labels: {team: a}
        spec:
          image: registry.example/web:1
        """;
    App one = Serialization.unmarshal(yaml, App.class);
    App two = Serialization.unmarshal(yaml, App.class);

    CachedObjects.compact(one);
    CachedObjects.compact(two);

    assertThat(one.getMetadata().getAdditionalProperties()).isSameAs(Map.of());
    assertThat(one.getMetadata().getFinalizers()).isSameAs(List.of());
    assertThat(one.getMetadata().getNamespace()).isSameAs(two.getMetadata().getNamespace());
    assertThat(one.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(one.getSpec().getImage()).isEqualTo("registry.example/web:1");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> path(Map<String, Object> tree, String... keys) {
    Map<String, Object> node = tree;
    for (String key : keys) {
      node = (Map<String, Object>) node.get(key);
    }
    return node;
  }
}
