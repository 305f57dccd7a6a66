package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.update.ImageFieldApplier.TemplateContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The partial object Freshet applies holds the image fields it sets and nothing else, at the path
 * the kind keeps its pod template, each container in the list it belongs to.
 */
class ImageFieldApplierTest {

  @Test
  void aDeploymentsPatchSetsImagesUnderSpecTemplate() {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("ns")
            .endMetadata()
            .build();

    String patch =
        json(
            deployment,
            List.of("spec", "template"),
            Map.of(TemplateContainer.regular("app"), "registry.example.com/web:dev@sha256:1"));

    assertThat(patch)
        .isEqualTo(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"},"
                + "\"spec\":{\"template\":{\"spec\":{\"containers\":"
                + "[{\"name\":\"app\",\"image\":\"registry.example.com/web:dev@sha256:1\"}]}}}}");
  }

  @Test
  void aCronJobsPatchSetsImagesInsideItsJobTemplate() {
    var cronJob =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("report")
            .withNamespace("ns")
            .endMetadata()
            .build();

    String patch =
        json(
            cronJob,
            List.of("spec", "jobTemplate", "spec", "template"),
            Map.of(TemplateContainer.regular("report"), "r/report:1@sha256:2"));

    assertThat(patch)
        .isEqualTo(
            "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\","
                + "\"metadata\":{\"name\":\"report\",\"namespace\":\"ns\"},"
                + "\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":"
                + "[{\"name\":\"report\",\"image\":\"r/report:1@sha256:2\"}]}}}}}}");
  }

  @Test
  void initContainersAreSetInTheirOwnListAndContainersSharingAnImageEachInTheirs() {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("ns")
            .endMetadata()
            .build();
    Map<TemplateContainer, String> images = new LinkedHashMap<>();
    images.put(TemplateContainer.regular("app"), "web:dev@sha256:1");
    images.put(TemplateContainer.initContainer("migrate"), "tools:dev@sha256:2");
    images.put(TemplateContainer.regular("worker"), "web:dev@sha256:1");

    String patch = json(deployment, List.of("spec", "template"), images);

    assertThat(patch)
        .contains(
            "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"web:dev@sha256:1\"},"
                + "{\"name\":\"worker\",\"image\":\"web:dev@sha256:1\"}],"
                + "\"initContainers\":[{\"name\":\"migrate\",\"image\":\"tools:dev@sha256:2\"}]}");
  }

  @Test
  void anApplyKeepsTheImagesFreshetOwnsSoLeavingThemOutCannotDeleteThem() {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("multi")
            .withNamespace("ns")
            .addNewManagedField()
            .withManager("kubectl-create")
            .withOperation("Update")
            .withFieldsV1(
                fields(
                    "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:initContainers\":"
                        + "{\"k:{\\\"name\\\":\\\"migrate\\\"}\":{\"f:image\":{}}}}}}}"))
            .endManagedField()
            .addNewManagedField()
            .withManager("freshet")
            .withOperation("Apply")
            .withFieldsV1(
                fields(
                    "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                        + "{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}},"
                        + "\"k:{\\\"name\\\":\\\"sidecar\\\"}\":{\"f:name\":{}}}}}}}"))
            .endManagedField()
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewInitContainer()
            .withName("migrate")
            .withImage("tools:dev")
            .endInitContainer()
            .addNewContainer()
            .withName("app")
            .withImage("web:dev@sha256:1")
            .endContainer()
            .addNewContainer()
            .withName("sidecar")
            .withImage("proxy:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();

    assertThat(ImageFieldApplier.stillOwned(deployment, List.of("spec", "template")))
        .containsExactly(Map.entry(TemplateContainer.regular("app"), "web:dev@sha256:1"));
  }

  @Test
  void aConflictWithoutFieldsNamedIsAStaleCopyAndOneNamingThemIsAnotherManagers() {
    var stale =
        new io.fabric8.kubernetes.api.model.StatusBuilder()
            .withCode(409)
            .withReason("Conflict")
            .withMessage(
                "Operation cannot be fulfilled on deployments.apps \"web\": the object has been"
                    + " modified; please apply your changes to the latest version and try again")
            .build();
    var owned =
        new io.fabric8.kubernetes.api.model.StatusBuilder()
            .withCode(409)
            .withReason("Conflict")
            .withMessage("Apply failed with 1 conflict: conflict with \"kubectl-set\"")
            .withNewDetails()
            .addNewCause()
            .withReason("FieldManagerConflict")
            .withField(".spec.template.spec.containers[name=\"app\"].image")
            .withMessage("conflict with \"kubectl-set\"")
            .endCause()
            .endDetails()
            .build();

    assertThat(ImageFieldApplier.isStale(new KubernetesClientException(stale))).isTrue();
    assertThat(ImageFieldApplier.isStale(new KubernetesClientException(owned))).isFalse();
    assertThat(ImageFieldApplier.conflictingManagers(new KubernetesClientException(owned)))
        .containsExactly("kubectl-set");
  }

  private static io.fabric8.kubernetes.api.model.FieldsV1 fields(String json) {
    var fields = new io.fabric8.kubernetes.api.model.FieldsV1();
    Map<?, ?> tree = Serialization.unmarshal(json, Map.class);
    tree.forEach((k, v) -> fields.setAdditionalProperty((String) k, v));
    return fields;
  }

  private static String json(
      HasMetadata workload, List<String> path, Map<TemplateContainer, String> images) {
    return Serialization.asJson(ImageFieldApplier.imageOnlyPatch(workload, path, images));
  }
}
