package dev.freshet.app;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.Workload;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The objects an App declares, built without a cluster. */
class DesiredObjectsTest {

  private static App web() {
    App app = app("web");
    app.getMetadata().setNamespace("team");
    app.getMetadata().setUid("uid-1");
    return app;
  }

  @Test
  void deploymentCarriesTheDeclaredPodTemplate() {
    App app = web();
    app.getSpec().setEnv(List.of(new EnvVar("MODE", "prod", null)));
    app.getSpec().setArgs(List.of("serve"));
    app.getSpec().setImagePullSecrets(List.of(new LocalObjectReference("pull")));
    app.getSpec().setServiceAccountName("web-sa");
    app.getSpec().setPodLabels(Map.of("team", "payments", AppLabels.APP, "spoofed"));
    app.getSpec().setPodAnnotations(Map.of("example.com/a", "b"));

    var deployment = DesiredDeployment.of(app, app.getSpec().getImage());

    assertThat(deployment.getMetadata().getName()).isEqualTo("web");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry(AppLabels.MANAGED_BY, "freshet")
        .containsEntry(AppLabels.APP, "web");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of(AppLabels.APP, "web"));
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry("team", "payments")
        .as("the selector label wins over a pod label of the same key")
        .containsEntry(AppLabels.APP, "web");
    assertThat(template.getMetadata().getAnnotations()).containsEntry("example.com/a", "b");
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("web-sa");
    assertThat(template.getSpec().getImagePullSecrets()).extracting("name").containsExactly("pull");
    var container = template.getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo(PodTemplates.CONTAINER);
    assertThat(container.getImage()).isEqualTo("registry.example.com/demo/web:1.0.0");
    assertThat(container.getArgs()).containsExactly("serve");
    assertThat(container.getEnv()).extracting("name").containsExactly("MODE");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
  }

  @Test
  void undeclaredFieldsAreLeftOutOfTheAppliedObject() {
    var deployment = DesiredDeployment.of(web(), web().getSpec().getImage());
    var json = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(deployment);

    // Every field sent with server-side apply becomes Freshet's; nothing undeclared may be sent.
    assertThat(json)
        .doesNotContain("\"env\"")
        .doesNotContain("\"volumes\"")
        .doesNotContain("\"resources\"")
        .doesNotContain("\"annotations\"")
        .doesNotContain("\"strategy\"")
        .doesNotContain("\"status\"");
  }

  @Test
  void serviceSelectsThePodsAndDefaultsServicePortToContainerPort() {
    App app = web();
    app.getSpec().getPorts().add(new AppPort("metrics", 9090, null));

    var service = DesiredService.of(app);

    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            DesiredDeployment.of(app, app.getSpec().getImage())
                .getSpec()
                .getSelector()
                .getMatchLabels());
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("http:80->http", "metrics:9090->metrics");
  }

  @Test
  void statefulSetIsGovernedByTheAppServiceAndKeepsClaimTemplates() {
    App app = web();
    app.getSpec().setWorkload(Workload.StatefulSet);
    app.getSpec()
        .setVolumeClaimTemplates(
            List.of(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName("data")
                    .endMetadata()
                    .build()));

    var statefulSet = DesiredStatefulSet.of(app, app.getSpec().getImage());

    assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("web");
    assertThat(statefulSet.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            claim -> {
              assertThat(claim.getMetadata().getName()).isEqualTo("data");
              assertThat(claim.getKind()).isEqualTo("PersistentVolumeClaim");
            });
    assertThat(statefulSet.getSpec().getTemplate())
        .isEqualTo(DesiredDeployment.of(app, app.getSpec().getImage()).getSpec().getTemplate());
  }
}
