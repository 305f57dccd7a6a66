package dev.freshet.bench;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.ServiceSpec;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.poll.TagChooser;
import dev.freshet.receive.server.ClientRate;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.testbed.Registry;
import dev.freshet.trigger.HintDispatcher;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Webhook to rollout at scale: N Apps over M images (10 Apps per image by default), poll interval
 * one hour, the operator and its webhook endpoint in this JVM. Rounds of R seconds: at the start of
 * each round every image gets a new digest pushed, then signed generic notifications go out at a
 * fixed rate, image after image, so the first notification of an image in a round rolls its Apps
 * out and the others are duplicates that must change nothing. Measured per App rollout: from the
 * send of the first notification of its image in the round to the moment a Deployment watch saw the
 * template pinned.
 *
 * <p>Apps have zero replicas and no Service: what is measured ends at the template patch, which is
 * Freshet's work. A replica each would add 1,000 pod replacements per round for the scheduler and
 * the fake kubelets on the same two cores, and a Service each would not fit a testbed's /24 Service
 * range.
 */
public final class WebhookLatencyBench {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STATUS_TIMEOUT = Duration.ofMinutes(3);
  private static final String HMAC = "bench-" + UUID.randomUUID();

  public static void main(String[] args) throws Exception {
    Path testbed = Path.of(args[0]);
    var plan =
        new NotificationPlan(
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]));
    Config config = Config.fromKubeconfig(Files.readString(testbed.resolve("kubeconfig")));
    Registry registry =
        new Registry(
            Files.readString(testbed.resolve("registry")).trim(),
            Optional.empty(),
            Optional.empty());
    String run = UUID.randomUUID().toString().substring(0, 6);
    String namespace = "freshet-bench-hooks-" + run;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Clock clock = Clock.systemUTC();

    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      installCrd(client);
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      client
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(WebhookEndpoint.SECRET_NAME)
                  .endMetadata()
                  .addToData(
                      "hmac",
                      Base64.getEncoder().encodeToString(HMAC.getBytes(StandardCharsets.UTF_8)))
                  .build())
          .create();
      try {
        var images = new BenchImages(registry, "bench-" + run, plan.images(), pool);
        long t0 = System.nanoTime();
        images.pushAll();
        System.out.printf(Locale.ROOT, "pushed %d images in %.1f s%n", plan.images(), seconds(t0));
        t0 = System.nanoTime();
        all(
            pool,
            plan.apps(),
            j ->
                client
                    .resource(app(namespace, j, images.image(plan.imageOf(j)).reference()))
                    .create());
        System.out.printf(Locale.ROOT, "created %d Apps in %.1f s%n", plan.apps(), seconds(t0));

        try (var poller =
            new Poller(
                new RegistryResolution(
                    Resolver.builder().build(),
                    new TagChooser(Platform.parse("linux/amd64"), clock),
                    clock,
                    RegistryHosts::isLoopback),
                clock,
                8)) {
          var meters = new SimpleMeterRegistry();
          var operator =
              FreshetOperator.create(
                  client,
                  new OperatorSettings(
                      Set.of(namespace), OperatorSettings.DEFAULT_RESYNC, Optional.empty()),
                  meters,
                  poller);
          t0 = System.nanoTime();
          operator.start();
          var dispatcher = new HintDispatcher(poller, meters);
          var hints = new java.util.concurrent.CopyOnWriteArrayList<WebhookLatencyReport.Hint>();
          try (var endpoint =
              WebhookEndpoint.start(
                  client,
                  namespace,
                  new InetSocketAddress("127.0.0.1", 0),
                  hint -> {
                    // When the coalesced hint leaves the receiver for the poller: splits the
                    // latency.
                    hints.add(new WebhookLatencyReport.Hint(hint.reference(), Instant.now()));
                    dispatcher.accept(hint);
                  },
                  meters,
                  clock,
                  // The bench's one sender stands for many pipelines: no per-address limit.
                  new ClientRate(100_000, 100_000))) {
            await(() -> endpoint.isEnabled("/hooks/generic"));
            await(() -> pinned(client, namespace, images, plan) == plan.apps());
            System.out.printf(
                Locale.ROOT,
                "operator started, all %d Apps pinned in %.1f s%n",
                plan.apps(),
                seconds(t0));

            try (var templates = TemplateChanges.watch(client, namespace)) {
              var sender =
                  new NotificationSender(
                      java.net.URI.create(
                          "http://127.0.0.1:" + endpoint.address().getPort() + "/hooks/generic"),
                      HMAC);
              List<Round> rounds = new ArrayList<>();
              for (int r = 0; r < plan.rounds(); r++) {
                t0 = System.nanoTime();
                images.pushAll();
                double pushSeconds = seconds(t0);
                rounds.add(
                    new Round(pushSeconds, images.digests(), sender.sendRound(plan, images)));
                System.out.printf(
                    Locale.ROOT,
                    "round %d: pushed %d images in %.1f s, sent %d notifications; %d template changes so far%n",
                    r + 1,
                    plan.images(),
                    pushSeconds,
                    plan.perRound(),
                    templates.snapshot().size());
              }
              t0 = System.nanoTime();
              boolean pinnedAll =
                  awaitQuietly(
                      () -> pinned(client, namespace, images, plan) == plan.apps(), TIMEOUT);
              double pinnedAfter = seconds(t0);
              // The App's status follows the Deployment controller's, which lags far behind at this
              // scale.
              boolean statusAll =
                  awaitQuietly(
                      () -> statusConverged(client, namespace, images, plan) == plan.apps(),
                      STATUS_TIMEOUT);
              double statusAfter = seconds(t0);
              new WebhookLatencyReport(
                      plan,
                      rounds,
                      templates.snapshot(),
                      List.copyOf(hints),
                      images,
                      new WebhookLatencyReport.Convergence(
                          pinnedAll,
                          pinnedAfter,
                          statusAll,
                          statusAfter,
                          statusConverged(client, namespace, images, plan)))
                  .print();
            }
          } finally {
            operator.stop();
          }
        }
      } finally {
        pool.shutdownNow();
        client.namespaces().withName(namespace).delete();
      }
    }
  }

  /**
   * One round: how long its pushes took, the digest of each image after them, and what was sent.
   */
  record Round(double pushSeconds, List<String> digests, List<NotificationSender.Sent> sent) {}

  static App app(String namespace, int j, String image) {
    var spec = new AppSpec();
    spec.setImage(image);
    spec.setReplicas(0);
    spec.setService(new ServiceSpec(ServiceSpec.Type.None));
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    spec.setUpdate(update);
    var app = new App();
    app.setMetadata(new ObjectMetaBuilder().withName(appName(j)).withNamespace(namespace).build());
    app.setSpec(spec);
    return app;
  }

  static String appName(int j) {
    return "app-" + j;
  }

  /** How many Apps' Deployments pin their image's current digest. */
  private static long pinned(
      KubernetesClient client, String namespace, BenchImages images, NotificationPlan plan) {
    return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(
            d -> {
              int j = Integer.parseInt(d.getMetadata().getName().substring("app-".length()));
              String wanted = images.image(plan.imageOf(j)).pinnedReference();
              return wanted.equals(
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            })
        .count();
  }

  /** How many Apps report their image's current digest as both latest and running. */
  private static long statusConverged(
      KubernetesClient client, String namespace, BenchImages images, NotificationPlan plan) {
    return client.resources(App.class).inNamespace(namespace).list().getItems().stream()
        .filter(
            a -> {
              int j = Integer.parseInt(a.getMetadata().getName().substring("app-".length()));
              String digest = images.image(plan.imageOf(j)).digest();
              return a.getStatus() != null
                  && a.getStatus().getImage() != null
                  && digest.equals(a.getStatus().getImage().getLatestDigest())
                  && digest.equals(a.getStatus().getImage().getRunningDigest());
            })
        .count();
  }

  interface IntTask {
    void run(int i) throws Exception;
  }

  static void all(ExecutorService pool, int count, IntTask task) throws Exception {
    List<Future<Object>> done = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      done.add(
          pool.submit(
              (Callable<Object>)
                  () -> {
                    task.run(n);
                    return null;
                  }));
    }
    for (Future<Object> f : done) {
      f.get();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    if (!awaitQuietly(condition, TIMEOUT)) {
      throw new IllegalStateException("not reached within " + TIMEOUT);
    }
  }

  private static boolean awaitQuietly(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(250);
    }
    return true;
  }

  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void installCrd(KubernetesClient client)
      throws java.io.IOException, InterruptedException {
    try (var yaml =
        WebhookLatencyBench.class.getResourceAsStream(
            "/META-INF/fabric8/apps.freshet.dev-v1.yml")) {
      var crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      if (client.resource(crd).get() == null) {
        client.resource(crd).create();
        await(
            () -> {
              var status = client.resource(crd).get().getStatus();
              return status != null
                  && status.getConditions() != null
                  && status.getConditions().stream()
                      .anyMatch(
                          c -> c.getType().equals("Established") && c.getStatus().equals("True"));
            });
      }
    }
  }

  private WebhookLatencyBench() {}
}
