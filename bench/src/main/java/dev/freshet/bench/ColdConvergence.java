package dev.freshet.bench;

import dev.freshet.app.DesiredDeployment;
import dev.freshet.app.api.App;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.ServiceSpec;
import dev.freshet.app.api.UpdateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Cold convergence, Freshet only: N Apps (one replica, no Service) exist and the operator starts;
 * timed until it has written every Deployment and until every App is Ready. Baseline: the same
 * Deployments applied with {@code kubectl apply --server-side}, timed until written and until every
 * one has its replica Ready. Between the two, when the Apps' Deployments are all Ready, which tells
 * the cluster's pace apart from the time the Apps' status takes to follow, and each round's API
 * writes by verb and resource (Freshet's own apart).
 */
final class ColdConvergence {
  private ColdConvergence() {}

  static ScenarioResult run(BenchTestbed testbed, OperatorUnderTest operator, int count, Path logs)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);

    String kubectlNs = "bench-cold-kubectl-" + suffix;
    testbed.createNamespace(kubectlNs);
    Path manifest = Files.createTempFile("bench-cold", ".yaml");
    var yaml = new StringBuilder();
    for (App app : apps(kubectlNs, count)) {
      app.getMetadata().setUid(UUID.randomUUID().toString());
      Deployment d = DesiredDeployment.of(app, app.getSpec().getImage());
      // No App owns these: an owner reference to none would have the garbage collector delete them.
      d.getMetadata().setOwnerReferences(List.of());
      yaml.append(testbed.client.getKubernetesSerialization().asYaml(d));
    }
    Files.writeString(manifest, yaml, StandardCharsets.UTF_8);
    ApiWrites kubectlBefore = testbed.apiWrites();
    long start = System.nanoTime();
    var kubectl =
        new ProcessBuilder(
                testbed.dir.resolve("bin/kubectl").toString(),
                "--kubeconfig",
                testbed.kubeconfig.toString(),
                "apply",
                "--server-side",
                "-f",
                manifest.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (kubectl.waitFor() != 0) {
      throw new IllegalStateException("kubectl apply --server-side failed");
    }
    double kubectlWritten = seconds(start);
    awaitSlowly(
        "every kubectl Deployment Ready", () -> readyDeployments(testbed, kubectlNs) == count);
    double kubectlReady = seconds(start);
    ApiWrites kubectlWrites = testbed.apiWrites().since(kubectlBefore);
    Files.delete(manifest);
    testbed.deleteNamespace(kubectlNs);

    String operatorNs = "bench-cold-" + suffix;
    testbed.createNamespace(operatorNs);
    testbed.createAll(apps(operatorNs, count));
    ApiWrites operatorBefore = testbed.apiWrites();
    try (var process =
        operator.start(
            testbed,
            operatorNs,
            BenchTestbed.freePort(),
            logs.resolve(operator.name() + "-cold.log"))) {
      start = System.nanoTime();
      awaitSlowly(
          "every App's Deployment written",
          () ->
              testbed.client.apps().deployments().inNamespace(operatorNs).list().getItems().size()
                  == count);
      double written = seconds(start);
      // The Deployments' own readiness apart from the Apps': what is the cluster's pace and what
      // is the time the Apps' status takes to say so.
      awaitSlowly(
          "every App's Deployment Ready", () -> readyDeployments(testbed, operatorNs) == count);
      double deploymentsReady = seconds(start);
      awaitSlowly("every App Ready", () -> readyApps(testbed, operatorNs) == count);
      double ready = seconds(start);
      // Where the API server's work went in each round: the controller-manager's, the
      // scheduler's and kwok's writes for the same pods, plus the objects' and the statuses'.
      ApiWrites operatorWrites = testbed.apiWrites().since(operatorBefore);
      ApiWrites own = operator.isFreshet() ? process.freshetWrites() : null;
      Bench.log(
          "cold %d Apps: kubectl written %.1f s, Ready %.1f s; %s written %.1f s, Deployments"
              + " Ready %.1f s, Apps Ready %.1f s",
          count, kubectlWritten, kubectlReady, operator.name(), written, deploymentsReady, ready);
      return ScenarioResult.of("cold", operator.name())
          .set("workloads", count)
          .set("kind", "App, replicas 1, no Service")
          .set("apiWritesUntilReadyKubectl", kubectlWrites.byVerbAndResource())
          .set("apiWritesUntilReadyOperator", operatorWrites.byVerbAndResource())
          .set("freshetWritesUntilReady", own == null ? Map.of() : own.byVerbAndResource())
          .add(
              Figure.against(
                      "objects written",
                      written,
                      "s",
                      kubectlWritten,
                      "kubectl apply --server-side")
                  .goal("<= 1.5x kubectl", written <= 1.5 * kubectlWritten))
          .add(
              Figure.against("all Ready", ready, "s", kubectlReady, "kubectl apply --server-side")
                  .goal("<= 1.2x kubectl", ready <= 1.2 * kubectlReady))
          .add(
              Figure.against(
                  "the Apps' Deployments all Ready",
                  deploymentsReady,
                  "s",
                  kubectlReady,
                  "kubectl apply --server-side"));
    } finally {
      testbed.deleteNamespace(operatorNs);
    }
  }

  private static List<App> apps(String namespace, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              var spec = new AppSpec();
              // Nothing follows these images: the scenario measures deploying, not following.
              spec.setImage("registry.example.com/bench/app-" + i + ":1.0.0");
              var update = new UpdateSpec();
              update.setPolicy(UpdateSpec.Policy.NONE);
              spec.setUpdate(update);
              spec.setReplicas(1);
              spec.setService(new ServiceSpec(ServiceSpec.Type.None));
              var app = new App();
              app.setMetadata(
                  new ObjectMetaBuilder().withName("app-" + i).withNamespace(namespace).build());
              app.setSpec(spec);
              return app;
            })
        .toList();
  }

  private static long readyDeployments(BenchTestbed testbed, String namespace) {
    return testbed.client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()))
        .count();
  }

  private static long readyApps(BenchTestbed testbed, String namespace) {
    return testbed.client.resources(App.class).inNamespace(namespace).list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getConditions() != null)
        .filter(
            a ->
                a.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /** Lists of a thousand objects are not free on two cores: look once a second. */
  private static void awaitSlowly(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    BenchTestbed.await(
        what,
        () -> {
          if (condition.getAsBoolean()) {
            return true;
          }
          try {
            Thread.sleep(900);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return false;
        });
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
