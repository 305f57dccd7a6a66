package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an informer keeps of a workload: Freshet's own managed fields whole, of others only who owns
 * a container's image, and no copy of the last kubectl apply.
 */
class CachedObjectsTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: ns
        resourceVersion: "42"
        annotations:
          freshet.dev/policy: digest
          kubectl.kubernetes.io/last-applied-configuration: '{"a whole copy":"of the object"}'
        managedFields:
        - manager: kubectl-client-side-apply
          operation: Update
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata:
              f:annotations:
                .: {}
                f:freshet.dev/policy: {}
            f:spec:
              f:replicas: {}
              f:template:
                f:metadata:
                  f:labels:
                    f:app: {}
                f:spec:
                  f:containers:
                    k:{"name":"app"}:
                      .: {}
                      f:image: {}
                      f:name: {}
                      f:ports: {}
                    k:{"name":"sidecar"}:
                      .: {}
                      f:name: {}
                  f:initContainers:
                    k:{"name":"init"}:
                      f:image: {}
        - manager: kube-controller-manager
          operation: Update
          apiVersion: apps/v1
          subresource: status
          fieldsType: FieldsV1
          fieldsV1:
            f:status:
              f:replicas: {}
        - manager: freshet
          operation: Apply
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:spec:
              f:template:
                f:spec:
                  f:containers:
                    k:{"name":"app"}:
                      .: {}
                      f:image: {}
                      f:name: {}
        - manager: freshet-status
          operation: Apply
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata:
              f:annotations:
                f:status.freshet.dev/up-to-date: {}
      spec:
        template:
          spec:
            containers:
            - name: app
              image: registry.example.com/web:dev
            - name: sidecar
              image: registry.example.com/sidecar:1
            initContainers:
            - name: init
              image: registry.example.com/init:1
      """;

  private static Deployment deployment() {
    return Serialization.unmarshal(DEPLOYMENT, Deployment.class);
  }

  @Test
  void whoOwnsEachImageReadsTheSameFromThePrunedObject() {
    var templatePath = List.of("spec", "template");

    assertThat(ImageFieldApplier.imageManagers(CachedObjects.pruned(deployment()), templatePath))
        .isEqualTo(ImageFieldApplier.imageManagers(deployment(), templatePath))
        .isNotEmpty();
    assertThat(ImageFieldApplier.stillOwned(CachedObjects.pruned(deployment()), templatePath))
        .isEqualTo(ImageFieldApplier.stillOwned(deployment(), templatePath))
        .isNotEmpty();
  }

  @Test
  void forATrackedWorkloadFreshetsOwnEntryIsCutToItsImagesAndStillTellsTheSame() {
    var templatePath = List.of("spec", "template");
    Deployment cut =
        CachedObjects.pruned(deployment(), CachedObjects.OwnEntries.IMAGE_FIELDS, null);

    assertThat(ImageFieldApplier.imageManagers(cut, templatePath))
        .isEqualTo(ImageFieldApplier.imageManagers(deployment(), templatePath));
    assertThat(ImageFieldApplier.stillOwned(cut, templatePath))
        .isEqualTo(ImageFieldApplier.stillOwned(deployment(), templatePath));
    ManagedFieldsEntry own = cut.getMetadata().getManagedFields().get(1);
    assertThat(own.getManager()).isEqualTo("freshet");
    assertThat(own.getOperation()).isEqualTo("Apply");
    assertThat(Serialization.asJson(own.getFieldsV1()))
        .isEqualTo(
            "{\"f:spec\":{\"f:template\":{\"f:spec\":{"
                + "\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{}}}}}}}");
  }

  @Test
  void freshetsApplyStaysWholeOthersKeepOnlyImageFieldsAndTheRestGoes() {
    Deployment pruned = CachedObjects.pruned(deployment());

    List<ManagedFieldsEntry> entries = pruned.getMetadata().getManagedFields();
    assertThat(entries)
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly("kubectl-client-side-apply", "freshet", "freshet-status");
    assertThat(entries.get(1)).isEqualTo(deployment().getMetadata().getManagedFields().get(2));
    // The status writer retires the old status manager's entry: only that it is there is kept.
    assertThat(entries.get(2).getFieldsV1()).isNull();
    assertThat(Serialization.asJson(entries.get(0).getFieldsV1()))
        .isEqualTo(
            "{\"f:spec\":{\"f:template\":{\"f:spec\":{"
                + "\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{}}},"
                + "\"f:initContainers\":{\"k:{\\\"name\\\":\\\"init\\\"}\":{\"f:image\":{}}}}}}}");
    assertThat(pruned.getMetadata().getAnnotations())
        .containsOnlyKeys("freshet.dev/policy")
        .containsEntry("freshet.dev/policy", "digest");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(pruned.getSpec()).isEqualTo(deployment().getSpec());
  }

  @Test
  void forATrackedWorkloadOthersKeepWhatTheyOwnOfFreshetsRecordAndNothingElseOfTheirAnnotations() {
    Deployment tracked = deployment();
    ManagedFieldsEntry gitops =
        Serialization.clone(tracked.getMetadata().getManagedFields().get(0));
    gitops.setManager("argocd-controller");
    gitops
        .getFieldsV1()
        .setAdditionalProperty(
            "f:metadata",
            java.util.Map.of(
                "f:annotations",
                java.util.Map.of(
                    "f:freshet.dev/policy", java.util.Map.of(),
                    "f:status.freshet.dev/running-digest", java.util.Map.of())));
    tracked.getMetadata().getManagedFields().add(gitops);

    Deployment cut =
        CachedObjects.pruned(tracked, CachedObjects.OwnEntries.IMAGE_FIELDS, "status.freshet.dev/");

    var entries = cut.getMetadata().getManagedFields();
    assertThat(Serialization.asJson(entries.get(entries.size() - 1).getFieldsV1()))
        .startsWith("{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\"")
        .endsWith(
            "\"f:metadata\":{\"f:annotations\":{\"f:status.freshet.dev/running-digest\":{}}}}");
    // kubectl owns an annotation, but none of the record's: its entry keeps its images only.
    assertThat(Serialization.asJson(entries.get(0).getFieldsV1())).doesNotContain("f:metadata");
  }

  @Test
  void anObjectNoOtherManagerTouchedLosesNothing() {
    Deployment plain = deployment();
    plain.getMetadata().setManagedFields(null);
    plain.getMetadata().getAnnotations().remove(CachedObjects.LAST_APPLIED);

    assertThat(CachedObjects.pruned(Serialization.clone(plain))).isEqualTo(plain);
  }
}
