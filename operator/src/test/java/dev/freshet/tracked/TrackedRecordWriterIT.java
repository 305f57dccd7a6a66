package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.WriteCounter;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import dev.freshet.update.ImageFieldApplier;
import dev.freshet.update.ImageFieldApplier.TemplateContainer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tracked workload's record and its image are written by one manager, each write made from the
 * copy it read and refused when that copy is stale; the old status manager's entries are retired
 * without losing what the record keeps. Against the testbed's API server, no operator running.
 */
@WithTestbed
class TrackedRecordWriterIT {
  private static final List<String> TEMPLATE = List.of("spec", "template");
  private static final String FIRST = "registry.example.com/web:1@sha256:" + "1".repeat(64);
  private static final String SECOND = "registry.example.com/web:1@sha256:" + "2".repeat(64);
  private static final String QUARANTINED = "app=sha256:" + "b".repeat(64);

  @Test
  void aRecordMadeFromAStaleCopyIsRefusedAndNeverSetsTheOlderImageAgain(
      TestNamespace ns, KubernetesClient client) {
    var writer = new TrackedStatusWriter(client, new ImageFieldApplier(client));
    create(client, ns);
    assertThat(pin(writer, read(client, ns), FIRST))
        .isInstanceOf(ImageFieldApplier.Result.Applied.class);
    Deployment atFirst = read(client, ns);
    assertThat(pin(writer, atFirst, SECOND)).isInstanceOf(ImageFieldApplier.Result.Applied.class);

    // A copy that still shows the first pin: a status written from it would repeat that image.
    boolean written = writer.write(atFirst, TEMPLATE, Map.of(TrackedStatus.UP_TO_DATE, "False"));

    assertThat(written).isFalse();
    Deployment now = read(client, ns);
    assertThat(image(now)).isEqualTo(SECOND);
    assertThat(now.getMetadata().getAnnotations()).doesNotContainKey(TrackedStatus.UP_TO_DATE);
    assertThat(pin(writer, atFirst, SECOND)).isInstanceOf(ImageFieldApplier.Result.Stale.class);
    // From the copy that is up to date, the same write goes through and keeps the image.
    assertThat(writer.write(now, TEMPLATE, Map.of(TrackedStatus.UP_TO_DATE, "False"))).isTrue();
    assertThat(image(read(client, ns))).isEqualTo(SECOND);
  }

  @Test
  void aFirstPinTakesTheImageOverFromItsCreatorInOneRequest(
      Testbed testbed, TestNamespace ns, KubernetesClient client) {
    create(client, ns);
    Deployment created = read(client, ns);
    var creators =
        ImageFieldApplier.imageManagers(created, TEMPLATE).get(TemplateContainer.regular("app"));
    assertThat(creators).isNotEmpty().doesNotContain(ImageFieldApplier.FIELD_MANAGER);
    var writes = new WriteCounter();
    try (KubernetesClient counted = writes.clientIn(testbed, ns.name())) {
      var writer = new TrackedStatusWriter(counted, new ImageFieldApplier(counted));

      var result = pin(writer, created, FIRST);

      // The copy named its creator as the image's owner: no apply refused for it first.
      assertThat(result)
          .isEqualTo(new ImageFieldApplier.Result.Applied(new java.util.TreeSet<>(creators)));
      assertThat(writes.counts()).isEqualTo(Map.of("PATCH deployments", 1));
      assertThat(writes.conflicts()).isEmpty();
      assertThat(image(read(client, ns))).isEqualTo(FIRST);
      assertThat(ImageFieldApplier.imageManagers(read(client, ns), TEMPLATE))
          .containsEntry(
              TemplateContainer.regular("app"), java.util.Set.of(ImageFieldApplier.FIELD_MANAGER));
    }
  }

  @Test
  void noImageIsTakenOverWhileAControllerThatReappliesOwnsAnAnnotationOfTheRecord(
      TestNamespace ns, KubernetesClient client) {
    var writer = new TrackedStatusWriter(client, new ImageFieldApplier(client));
    create(client, ns);
    // A GitOps tool applies a manifest copied from a live workload, Freshet's record included.
    var manifest = new GenericKubernetesResource();
    manifest.setApiVersion("apps/v1");
    manifest.setKind("Deployment");
    manifest.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace(ns.name())
            .withAnnotations(Map.of(TrackedRecord.PINNED, "app=1@sha256:" + "0".repeat(64)))
            .build());
    client.resource(manifest).fieldManager("argocd-controller").serverSideApply();
    // The copy as the informer keeps it.
    var cache = CachedTemplates.store(WorkloadKind.DEPLOYMENT);
    cache.put("web", read(client, ns));
    Deployment cached = cache.get("web");

    var result = pin(writer, cached, FIRST);

    // Taken over, the record would flip back at the tool's next sync: the two would fight.
    assertThat(result)
        .isInstanceOfSatisfying(
            ImageFieldApplier.Result.Refused.class,
            refused -> assertThat(refused.owners()).contains("argocd-controller"));
    Deployment now = read(client, ns);
    assertThat(image(now)).isEqualTo("registry.example.com/web:1");
    assertThat(managers(now)).doesNotContain(ImageFieldApplier.FIELD_MANAGER);
  }

  @Test
  void aTakeoverMadeFromACopyOlderThanAPersonsChangeIsRefusedAndKeepsTheirImage(
      TestNamespace ns, KubernetesClient client) {
    var writer = new TrackedStatusWriter(client, new ImageFieldApplier(client));
    create(client, ns);
    Deployment created = read(client, ns);
    // A person sets the image after the copy was read (kubectl set image sends a patch).
    String theirs = "registry.example.com/web:2";
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(theirs);
              return d;
            });

    assertThat(pin(writer, created, FIRST)).isInstanceOf(ImageFieldApplier.Result.Stale.class);
    assertThat(image(read(client, ns))).isEqualTo(theirs);
  }

  @Test
  void theOldStatusManagersAnnotationsMoveToOneManagerAndWhatTheRecordDroppedGoes(
      TestNamespace ns, KubernetesClient client) {
    var writer = new TrackedStatusWriter(client, new ImageFieldApplier(client));
    createAsAnOlderFreshetLeftIt(client, ns, writer);

    boolean written =
        writer.write(
            read(client, ns),
            TEMPLATE,
            Map.of(TrackedStatus.UP_TO_DATE, "True", TrackedRecord.QUARANTINED, QUARANTINED));

    assertThat(written).isTrue();
    assertMoved(read(client, ns));
  }

  @Test
  void aStopBetweenTakingTheRecordOverAndRetiringTheOldManagerIsFinishedByTheNextWrite(
      TestNamespace ns, KubernetesClient client) {
    var applier = new ImageFieldApplier(client);
    var writer = new TrackedStatusWriter(client, applier);
    createAsAnOlderFreshetLeftIt(client, ns, writer);
    Map<String, String> status =
        Map.of(TrackedStatus.UP_TO_DATE, "True", TrackedRecord.QUARANTINED, QUARANTINED);
    Deployment before = read(client, ns);
    // The first step alone, as a stop right after it leaves the workload.
    var record = new java.util.TreeMap<>(status);
    record.put(
        TrackedRecord.PINNED, before.getMetadata().getAnnotations().get(TrackedRecord.PINNED));
    assertThat(applier.applyRecord(before, TEMPLATE, record))
        .isInstanceOf(ImageFieldApplier.Result.Applied.class);
    Deployment halfway = read(client, ns);
    assertThat(managers(halfway)).contains(ImageFieldApplier.LEGACY_STATUS_MANAGER);
    assertThat(halfway.getMetadata().getAnnotations())
        .containsEntry(TrackedRecord.QUARANTINED, QUARANTINED)
        .containsKey(TrackedStatus.MESSAGE);

    // The same status again: nothing of it changes, but the old manager is still there.
    assertThat(writer.write(halfway, TEMPLATE, status)).isTrue();

    assertMoved(read(client, ns));
  }

  private static void assertMoved(Deployment moved) {
    assertThat(moved.getMetadata().getAnnotations())
        .containsEntry(TrackedStatus.UP_TO_DATE, "True")
        .containsEntry(TrackedRecord.QUARANTINED, QUARANTINED)
        .containsEntry(TrackedRecord.PINNED, "app=1@sha256:" + "1".repeat(64))
        .doesNotContainKey(TrackedStatus.MESSAGE);
    assertThat(image(moved)).isEqualTo(FIRST);
    assertThat(managers(moved)).doesNotContain(ImageFieldApplier.LEGACY_STATUS_MANAGER);
    ManagedFieldsEntry own =
        moved.getMetadata().getManagedFields().stream()
            .filter(e -> ImageFieldApplier.FIELD_MANAGER.equals(e.getManager()))
            .findFirst()
            .orElseThrow();
    assertThat(own.getFieldsV1().getAdditionalProperties().toString())
        .contains("f:image", "f:" + TrackedRecord.QUARANTINED, "f:" + TrackedStatus.UP_TO_DATE);
  }

  /**
   * The image and its pin under Freshet's manager, the status under the manager an older Freshet
   * wrote it with: a problem it reported and a quarantine.
   */
  private static void createAsAnOlderFreshetLeftIt(
      KubernetesClient client, TestNamespace ns, TrackedStatusWriter writer) {
    create(client, ns);
    assertThat(pin(writer, read(client, ns), FIRST))
        .isInstanceOf(ImageFieldApplier.Result.Applied.class);
    var status = new GenericKubernetesResource();
    status.setApiVersion("apps/v1");
    status.setKind("Deployment");
    status.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace(ns.name())
            .withAnnotations(
                Map.of(
                    TrackedStatus.UP_TO_DATE, "False",
                    TrackedStatus.MESSAGE, "the registry answered 503",
                    TrackedRecord.QUARANTINED, QUARANTINED))
            .build());
    client
        .resource(status)
        .fieldManager(ImageFieldApplier.LEGACY_STATUS_MANAGER)
        .forceConflicts()
        .serverSideApply();
    assertThat(managers(read(client, ns))).contains(ImageFieldApplier.LEGACY_STATUS_MANAGER);
  }

  private static ImageFieldApplier.Result pin(
      TrackedStatusWriter writer, Deployment copy, String image) {
    return writer.pin(
        copy,
        TEMPLATE,
        Map.of(TemplateContainer.regular("app"), image),
        Map.of(TrackedRecord.PINNED, "app=1@" + image.substring(image.indexOf("sha256:"))),
        Map.of(),
        false);
  }

  private static void create(KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .resource(Workloads.deployment("web", "registry.example.com/web:1", 0))
        .create();
  }

  /**
   * The Deployment once its controller has seen its last change: the controller's status write
   * would otherwise make the copy stale under the test, as it does under the operator.
   */
  private static Deployment read(KubernetesClient client, TestNamespace ns) {
    var deployment = client.apps().deployments().inNamespace(ns.name()).withName("web");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Deployment d = deployment.get();
              return d.getStatus() != null
                  && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration());
            });
    return deployment.get();
  }

  private static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static List<String> managers(Deployment deployment) {
    return deployment.getMetadata().getManagedFields().stream()
        .map(ManagedFieldsEntry::getManager)
        .toList();
  }
}
