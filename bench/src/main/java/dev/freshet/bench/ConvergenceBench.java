package dev.freshet.bench;

import dev.freshet.app.DesiredDeployment;
import dev.freshet.app.DesiredService;
import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * How long Freshet takes to bring N Apps to Ready from a cold start (the Apps exist, the operator
 * starts), against the same Deployments and Services applied with kubectl apply --server-side and
 * waited for until their pods are Ready. Both runs end at the same point: every workload's replicas
 * Ready, so the ratio is the operator's overhead over the plain apply.
 */
public final class ConvergenceBench {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(250);

  public static void main(String[] args) throws Exception {
    Path testbed = Path.of(args[0]);
    Path kubeconfig = testbed.resolve("kubeconfig");
    Path kubectl = testbed.resolve("bin/kubectl");
    int count = Integer.parseInt(args[1]);
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      installCrd(client);
      String suffix = UUID.randomUUID().toString().substring(0, 6);
      String kubectlNs = "freshet-bench-kubectl-" + suffix;
      String operatorNs = "freshet-bench-operator-" + suffix;
      try {
        Timing kubectlRun = timeKubectl(client, kubeconfig, kubectl, kubectlNs, count);
        // Service IPs come from a small range (a /24 on the testbed): free the first run's
        // before the second allocates its own.
        deleteNamespace(client, kubectlNs);
        Timing freshetRun = timeOperator(client, operatorNs, count);
        System.out.printf(
            Locale.ROOT,
            "%d Apps (%d Deployments + %d Services, 1 replica each)%n"
                + "  kubectl apply --server-side: objects written %.1f s, all Ready %.1f s%n"
                + "  Freshet from cold start:     objects written %.1f s, all Ready %.1f s%n"
                + "  ratio Freshet/kubectl: all Ready %.2f, objects written %.2f%n",
            count,
            count,
            count,
            kubectlRun.applied(),
            kubectlRun.converged(),
            freshetRun.applied(),
            freshetRun.converged(),
            freshetRun.converged() / kubectlRun.converged(),
            freshetRun.applied() / kubectlRun.applied());
      } finally {
        client.namespaces().withName(kubectlNs).delete();
        client.namespaces().withName(operatorNs).delete();
      }
    }
  }

  /** Seconds until every object was written, and until every workload was Ready. */
  record Timing(double applied, double converged) {}

  private static double secondsSince(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static Timing timeKubectl(
      KubernetesClient client, Path kubeconfig, Path kubectl, String namespace, int count)
      throws Exception {
    createNamespace(client, namespace);
    var objects = new ArrayList<HasMetadata>();
    for (App app : apps(namespace, count)) {
      app.getMetadata().setUid(UUID.randomUUID().toString());
      objects.add(DesiredDeployment.of(app, app.getSpec().getImage()));
      objects.add(DesiredService.of(app));
    }
    Path manifest = Files.createTempFile("bench", ".yaml");
    var yaml = new StringBuilder();
    for (HasMetadata object : objects) {
      yaml.append(client.getKubernetesSerialization().asYaml(object));
    }
    Files.writeString(manifest, yaml, StandardCharsets.UTF_8);

    long start = System.nanoTime();
    var process =
        new ProcessBuilder(
                kubectl.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "apply",
                "--server-side",
                "-f",
                manifest.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("kubectl apply failed");
    }
    double applied = secondsSince(start);
    awaitTrue(() -> readyDeployments(client, namespace) == count);
    Files.delete(manifest);
    return new Timing(applied, secondsSince(start));
  }

  private static Timing timeOperator(KubernetesClient client, String namespace, int count)
      throws InterruptedException {
    createNamespace(client, namespace);
    for (App app : apps(namespace, count)) {
      client.resource(app).create();
    }
    long start = System.nanoTime();
    // The bench's images name a registry that does not exist: nothing but loopback is ever asked.
    Clock clock = Clock.systemUTC();
    var poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 4);
    var operator =
        FreshetOperator.create(
            client,
            new OperatorSettings(
                Set.of(namespace), OperatorSettings.DEFAULT_RESYNC, Optional.empty()),
            new SimpleMeterRegistry(),
            poller);
    operator.start();
    try {
      awaitTrue(() -> ownedObjects(client, namespace) == 2L * count);
      double applied = secondsSince(start);
      awaitTrue(() -> readyApps(client, namespace) == count);
      return new Timing(applied, secondsSince(start));
    } finally {
      operator.stop();
      poller.close();
    }
  }

  private static List<App> apps(String namespace, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              var spec = new AppSpec();
              spec.setImage("registry.example.com/bench/app-" + i + ":1.0.0");
              // The images exist in no registry: this bench measures deploying, not following.
              var update = new UpdateSpec();
              update.setPolicy(UpdateSpec.Policy.NONE);
              spec.setUpdate(update);
              spec.setReplicas(1);
              spec.setPorts(new ArrayList<>(List.of(new AppPort("http", 8080, 80))));
              var app = new App();
              app.setMetadata(
                  new ObjectMetaBuilder().withName("app-" + i).withNamespace(namespace).build());
              app.setSpec(spec);
              return app;
            })
        .toList();
  }

  private static long readyDeployments(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()))
        .count();
  }

  private static long ownedObjects(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).list().getItems().size()
        + client.services().inNamespace(namespace).list().getItems().size();
  }

  private static long readyApps(KubernetesClient client, String namespace) {
    return client.resources(App.class).inNamespace(namespace).list().getItems().stream()
        .filter(a -> a.getStatus() != null)
        .filter(
            a ->
                a.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .count();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("did not converge within " + TIMEOUT);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void deleteNamespace(KubernetesClient client, String name)
      throws InterruptedException {
    client.namespaces().withName(name).delete();
    awaitTrue(() -> client.namespaces().withName(name).get() == null);
  }

  private static void createNamespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    // Pods are refused until the controller-manager has made the namespace's default
    // ServiceAccount.
    try {
      awaitTrue(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void installCrd(KubernetesClient client) throws IOException {
    try (var yaml =
        ConvergenceBench.class.getResourceAsStream("/META-INF/fabric8/apps.freshet.dev-v1.yml")) {
      var crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      if (client.resource(crd).get() == null) {
        client.resource(crd).create();
      }
    }
  }

  private ConvergenceBench() {}
}
