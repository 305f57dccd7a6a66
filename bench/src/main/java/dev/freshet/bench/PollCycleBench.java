package dev.freshet.bench;

import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.Workloads;
import dev.freshet.tracked.TrackedControllers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One poll cycle over many tracked workloads that share few images: N Deployments annotated {@code
 * freshet.dev/policy: digest} over M images, from the operator's start until every one is pinned to
 * its image's digest. Registry requests are counted at the registry, from its access log, and
 * should equal M. The baseline, measured in the same run against the same registry, resolves each
 * workload's image on its own (what a per-workload poller does, as the original project did): N
 * requests.
 *
 * <p>Deployments have zero replicas: the cycle measured is Freshet's (resolve, fan out, patch), not
 * the controllers' rollout of pods.
 */
public final class PollCycleBench {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  public static void main(String[] args) throws Exception {
    Path testbed = Path.of(args[0]);
    int workloads = Integer.parseInt(args[1]);
    int images = Integer.parseInt(args[2]);
    Config config = Config.fromKubeconfig(Files.readString(testbed.resolve("kubeconfig")));
    Registry registry =
        new Registry(
            Files.readString(testbed.resolve("registry")).trim(),
            Optional.empty(),
            Optional.empty());
    Path accessLog = testbed.resolve("run/logs/registry-anon.log");
    String run = UUID.randomUUID().toString().substring(0, 6);
    String namespace = "freshet-bench-poll-" + run;

    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      PushedImage[] pushed = new PushedImage[images];
      for (int i = 0; i < images; i++) {
        pushed[i] = registry.pusher().push("bench-" + run + "/img-" + i, "dev");
      }
      for (int i = 0; i < workloads; i++) {
        client.resource(deployment(namespace, "w-" + i, pushed[i % images].reference())).create();
      }

      // Baseline: every workload resolves its own image, one request each.
      Resolver resolver = Resolver.builder().build();
      long before = manifestRequests(accessLog, run);
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < workloads; i++) {
          String ref = pushed[i % images].reference();
          done.add(
              pool.submit(() -> resolver.resolve(ImageReference.parse(ref), Optional.empty())));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      double baselineSeconds = (System.nanoTime() - t0) / 1e9;
      long baselineRequests = manifestRequests(accessLog, run) - before;

      // Freshet: the operator starts with every workload already annotated; one cycle pins them
      // all.
      Clock clock = Clock.systemUTC();
      before = manifestRequests(accessLog, run);
      long t1 = System.nanoTime();
      try (var poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 8)) {
        var operator =
            new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        TrackedControllers.register(
            operator,
            client,
            poller,
            Set.of(namespace),
            new EventRecorder(client, "freshet", clock),
            clock);
        operator.start();
        try {
          long deadline = System.nanoTime() + TIMEOUT.toNanos();
          while (pinned(client, namespace) < workloads) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("not every workload was pinned within " + TIMEOUT);
            }
            Thread.sleep(200);
          }
        } finally {
          operator.stop();
        }
        double cycleSeconds = (System.nanoTime() - t1) / 1e9;
        long freshetRequests = manifestRequests(accessLog, run) - before;
        System.out.printf("poll cycle: %d tracked workloads over %d images%n", workloads, images);
        System.out.printf(
            "  freshet:  %4d registry requests, all pinned in %.2f s (distinct watches: %d)%n",
            freshetRequests, cycleSeconds, poller.distinctWatches());
        System.out.printf(
            "  baseline: %4d registry requests (one per workload), resolved in %.2f s, nothing patched%n",
            baselineRequests, baselineSeconds);
        System.out.printf(
            "  ratio:    %.1fx fewer registry requests%n",
            (double) baselineRequests / freshetRequests);
      } finally {
        client.namespaces().withName(namespace).delete();
      }
    }
  }

  /** Manifest requests for this run's repositories, as the registry logged them. */
  private static long manifestRequests(Path accessLog, String run) throws Exception {
    try (var lines = Files.lines(accessLog)) {
      return lines
          .filter(
              l ->
                  l.contains("\"HEAD /v2/bench-" + run + "/")
                      || l.contains("\"GET /v2/bench-" + run + "/"))
          .filter(l -> l.contains("/manifests/"))
          .count();
    }
  }

  private static long pinned(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(
            d ->
                d.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()
                    .contains("@sha256:"))
        .count();
  }

  private static Deployment deployment(String namespace, String name, String image) {
    Deployment deployment = Workloads.deployment(name, image, 0);
    deployment.getMetadata().setNamespace(namespace);
    deployment
        .getMetadata()
        .setAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "1h"));
    return deployment;
  }
}
