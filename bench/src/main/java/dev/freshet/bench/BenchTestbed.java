package dev.freshet.bench;

import dev.freshet.app.api.App;
import dev.freshet.testbed.Registry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The bench's own testbed as the scenarios use it: an admin client, the registry and its access
 * log, the API server's write counters, and a pool for work done in parallel.
 */
final class BenchTestbed implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofMinutes(15);

  final Path dir;
  final Path kubeconfig;
  final KubernetesClient client;
  final Registry registry;
  final Path registryLog;
  final ExecutorService pool = Executors.newFixedThreadPool(8);

  BenchTestbed(Path dir) throws IOException {
    this.dir = dir;
    this.kubeconfig = dir.resolve("kubeconfig");
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    // Thousands of requests in parallel from the pool: fabric8's default of 5 per host would
    // serialise them behind the client, not the API server.
    config.setMaxConcurrentRequestsPerHost(16);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    this.registry =
        new Registry(
            Files.readString(dir.resolve("registry")).trim(), Optional.empty(), Optional.empty());
    this.registryLog = dir.resolve("run/logs/registry-anon.log");
  }

  ApiWrites apiWrites() {
    return ApiWrites.parse(client.raw("/metrics"));
  }

  /**
   * Waits, at most {@code limit}, until the API server takes at most 5 writes in 3 s beyond
   * heartbeats: what a change set off (the controller-manager's ReplicaSets and status writes for
   * thousands of new Deployments) must not be counted in the next window.
   */
  void awaitQuietWrites(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      ApiWrites before = apiWrites();
      Thread.sleep(3000);
      if (apiWrites().since(before).total() <= 5) {
        return;
      }
    }
    Bench.log(
        "the API server was still taking writes after %d s; measuring anyway", limit.toSeconds());
  }

  void createNamespace(String name) throws InterruptedException {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    // Pods are refused until the controller-manager has made the namespace's default
    // ServiceAccount.
    await(
        "the default ServiceAccount of " + name,
        () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
  }

  /** Deletes a namespace and waits until it is gone, so the next scenario has the machine. */
  void deleteNamespace(String name) throws InterruptedException {
    client.namespaces().withName(name).delete();
    await("deletion of " + name, () -> client.namespaces().withName(name).get() == null);
  }

  void installAppCrd() throws IOException, InterruptedException {
    try (var yaml =
        BenchTestbed.class.getResourceAsStream("/META-INF/fabric8/apps.freshet.dev-v1.yml")) {
      var crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      client.resource(crd).serverSideApply();
    }
    await(
        "the App CRD",
        () -> {
          try {
            client.resources(App.class).inAnyNamespace().list();
            return true;
          } catch (RuntimeException notYet) {
            return false;
          }
        });
  }

  void createAll(List<? extends HasMetadata> objects) throws Exception {
    parallel(objects.size(), i -> client.resource(objects.get(i)).create());
  }

  /** Runs {@code task(0..count-1)} on the pool and waits for all; the first failure is thrown. */
  void parallel(int count, IntConsumer task) throws Exception {
    List<Future<?>> done = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int j = i;
      done.add(pool.submit(() -> task.accept(j)));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not happen within " + TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    client.close();
  }
}
