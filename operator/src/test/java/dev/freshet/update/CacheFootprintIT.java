package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Live heap per cached workload, with and without {@link CachedObjects}: N Deployments as a person
 * and Freshet leave them (created with the last-applied copy {@code kubectl apply} adds; status
 * written by the deployment controller; the image pinned and status annotations applied by
 * Freshet), read by an informer into each store, heap measured after a full GC. A measurement, not
 * a check of behaviour (that is {@link CachedObjectsTest}): it runs only with {@code
 * -Dfreshet.footprint=true} ({@code make footprint}), N from {@code -Dfreshet.footprint.workloads}
 * (default 2,000).
 */
@WithTestbed
@EnabledIfSystemProperty(named = "freshet.footprint", matches = "true")
class CacheFootprintIT {
  private static final int WORKLOADS = Integer.getInteger("freshet.footprint.workloads", 2000);

  @Test
  void aPrunedCacheHoldsAWorkloadInAFewKilobytes(TestNamespace ns, KubernetesClient client)
      throws Exception {
    create(client, ns.name());

    long plain =
        bytesPerWorkload(
            client, ns.name(), () -> new BasicItemStore<>(Cache::metaNamespaceKeyFunc));
    long pruned = bytesPerWorkload(client, ns.name(), CachedObjects::store);

    System.out.printf(
        "cache footprint: %d workloads, %d bytes live per workload as served, %d pruned%n",
        WORKLOADS, plain, pruned);
    // The goal is 8 KB; what the run measured is reported, and the build holds the gain.
    assertThat(pruned).isLessThan(plain * 2 / 3);
  }

  /**
   * The heap an informer's cache holds per workload: live heap with the informer synced, less live
   * heap once it is closed and its objects collected (its threads let go of them a little later).
   */
  private static long bytesPerWorkload(
      KubernetesClient client, String namespace, Supplier<ItemStore<Deployment>> store) {
    long with = heapWithCache(client, namespace, store);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> liveHeap() < with - WORKLOADS * 1024L);
    return (with - liveHeap()) / WORKLOADS;
  }

  /** Live heap while an informer holds every workload; nothing of it stays referenced after. */
  private static long heapWithCache(
      KubernetesClient client, String namespace, Supplier<ItemStore<Deployment>> store) {
    SharedIndexInformer<Deployment> informer =
        client.apps().deployments().inNamespace(namespace).runnableInformer(0);
    informer.itemStore(store.get());
    informer.run();
    try {
      await().atMost(Duration.ofMinutes(2)).until(informer::hasSynced);
      assertThat(informer.getStore().list()).hasSize(WORKLOADS);
      return liveHeap();
    } finally {
      informer.close();
    }
  }

  private static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Creates the workloads as kubectl, the deployment controller and Freshet would leave them. */
  private static void create(KubernetesClient client, String namespace) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      var created =
          IntStream.range(0, WORKLOADS)
              .mapToObj(i -> pool.submit(() -> createOne(client, namespace, "web-" + i)))
              .toList();
      for (Future<?> f : created) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void createOne(KubernetesClient client, String namespace, String name) {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of("app", name, "team", "payments"))
            .withAnnotations(Map.of("freshet.dev/policy", "digest"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withNewSelector()
            .withMatchLabels(Map.of("app", name))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("app", name))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/team/" + name + ":dev")
            .addNewPort()
            .withContainerPort(8080)
            .endPort()
            .withNewResources()
            .withRequests(
                Map.of(
                    "cpu",
                    new io.fabric8.kubernetes.api.model.Quantity("100m"),
                    "memory",
                    new io.fabric8.kubernetes.api.model.Quantity("128Mi")))
            .endResources()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    deployment
        .getMetadata()
        .getAnnotations()
        .put(CachedObjects.LAST_APPLIED, Serialization.asJson(deployment));
    client.resource(deployment).create();

    var pin = new GenericKubernetesResource();
    pin.setApiVersion("apps/v1");
    pin.setKind("Deployment");
    pin.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    pin.setAdditionalProperty(
        "spec",
        Map.of(
            "template",
            Map.of(
                "spec",
                Map.of(
                    "containers",
                    java.util.List.of(
                        Map.of(
                            "name",
                            "app",
                            "image",
                            "registry.example.com/team/"
                                + name
                                + ":dev@sha256:"
                                + "a".repeat(64)))))));
    client.resource(pin).fieldManager("freshet").forceConflicts().serverSideApply();

    var status = new GenericKubernetesResource();
    status.setApiVersion("apps/v1");
    status.setKind("Deployment");
    status.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withAnnotations(
                Map.of(
                    "status.freshet.dev/latest-digest", "sha256:" + "a".repeat(64),
                    "status.freshet.dev/latest-tag", "dev",
                    "status.freshet.dev/up-to-date", "True",
                    "status.freshet.dev/checked-at", "2026-11-30T17:00:00Z"))
            .build());
    client.resource(status).fieldManager("freshet-status").forceConflicts().serverSideApply();
  }
}
