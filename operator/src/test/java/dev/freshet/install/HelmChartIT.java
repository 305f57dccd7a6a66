package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.freshet.it.Kubectl;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart deploy/chart/freshet lints strictly; with its defaults it renders the objects of
 * deploy/install.yaml (bar the Namespace, which Helm installs into); the API server accepts what it
 * renders with every option set; and it installs on the testbed, where the operator's Deployment
 * becomes available.
 */
@WithTestbed
class HelmChartIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Every optional part switched on or away from its default, one rendering each. */
  private static final List<List<String>> VALUE_SETS =
      List.of(
          List.of(),
          List.of(
              "--set",
              "receivers.enabled=false",
              "--set",
              "replicas=1",
              "--set",
              "image.digest=",
              "--set",
              "log.format=text,log.level=DEBUG"),
          List.of(
              "--set",
              "metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true",
              "--set",
              "priorityClassName=system-cluster-critical",
              "--set",
              "nodeSelector.kubernetes\\.io/os=linux",
              "--set",
              "tolerations[0].key=dedicated,tolerations[0].operator=Exists",
              "--set",
              "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                  + ".nodeSelectorTerms[0].matchExpressions[0].key=kubernetes.io/arch",
              "--set",
              "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                  + ".nodeSelectorTerms[0].matchExpressions[0].operator=Exists",
              "--set",
              "receivers.service.type=NodePort,receivers.secretName=ci-webhooks",
              "--set",
              "imagePullSecrets[0].name=registry",
              "--set",
              "extraArgs={--resync=5m,--poll-workers=8}"));

  @Test
  void chartLintsStrictly(Testbed testbed) {
    String output = helm(testbed, "lint", "--strict", chart(testbed).toString());
    assertThat(output).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void defaultValuesRenderTheObjectsOfInstallYaml(Testbed testbed) throws IOException {
    Map<String, JsonNode> install =
        objects(Files.readString(testbed.checkoutRoot().resolve("deploy/install.yaml")));
    install.remove("Namespace//freshet-system");
    Map<String, JsonNode> rendered =
        objects(
            helm(
                testbed,
                "template",
                "freshet",
                chart(testbed).toString(),
                "--namespace",
                "freshet-system",
                "--include-crds"));

    assertThat(rendered.keySet()).containsExactlyInAnyOrderElementsOf(install.keySet());
    for (String key : install.keySet()) {
      assertThat(rendered.get(key)).as(key).isEqualTo(install.get(key));
    }
  }

  @Test
  void theApiServerAcceptsEveryRendering(
      KubernetesClient client, TestNamespace ns, Testbed testbed, @TempDir Path dir) {
    installMonitoringCrds();
    for (int i = 0; i < VALUE_SETS.size(); i++) {
      var args =
          new ArrayList<>(
              List.of(
                  "template",
                  "freshet",
                  chart(testbed).toString(),
                  "--namespace",
                  ns.name(),
                  "--include-crds"));
      args.addAll(VALUE_SETS.get(i));
      Path rendered = write(dir.resolve("rendered-" + i + ".yaml"), helm(testbed, args));
      // Forced: the CRD may carry fields of an earlier helm install (the tests' own).
      Kubectl.run(
          "apply",
          "--server-side",
          "--force-conflicts",
          "--dry-run=server",
          "-f",
          rendered.toString());
    }
    // Namespaces watched one by one: a RoleBinding in each, the secrets beside the operator.
    Path watching =
        write(
            dir.resolve("watching.yaml"),
            helm(
                testbed,
                "template",
                "freshet",
                chart(testbed).toString(),
                "--namespace",
                ns.name(),
                "--set",
                "watchNamespaces={" + ns.name() + ",default}"));
    String output =
        Kubectl.run(
            "apply",
            "--server-side",
            "--force-conflicts",
            "--dry-run=server",
            "-f",
            watching.toString());
    assertThat(output)
        .contains("rolebinding.rbac.authorization.k8s.io/freshet-operator serverside-applied")
        .doesNotContain("clusterrolebinding");
    assertThat(readString(watching))
        .contains("--namespace=default", "--webhook-namespace=" + ns.name());
  }

  @Test
  void chartInstallsAndItsOperatorBecomesAvailable(
      KubernetesClient client, TestNamespace ns, Testbed testbed) {
    // The cluster-scoped objects (CRD, ClusterRoles) may exist from install.yaml's test: the chart
    // takes them over, fields kubectl applied included, as it would from an earlier kubectl
    // install.
    helm(
        testbed,
        "install",
        "freshet",
        chart(testbed).toString(),
        "--namespace",
        ns.name(),
        "--take-ownership",
        "--force-conflicts",
        "--wait",
        "--timeout",
        "2m");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                var deployment = client.apps().deployments().withName("freshet-operator").get();
                assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
              });
      assertThat(client.services().withName("freshet-webhooks").get()).isNotNull();
      assertThat(client.policy().v1().podDisruptionBudget().withName("freshet-operator").get())
          .isNotNull();
      assertThat(helm(testbed, "list", "--namespace", ns.name())).contains("deployed");
    } finally {
      helm(testbed, "uninstall", "freshet", "--namespace", ns.name(), "--wait");
    }
  }

  /** Objects by kind, namespace and name. */
  private static Map<String, JsonNode> objects(String yaml) throws IOException {
    var objects = new TreeMap<String, JsonNode>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode object = it.next();
        if (object == null || object.isNull() || object.isEmpty()) {
          continue;
        }
        JsonNode meta = object.path("metadata");
        objects.put(
            object.path("kind").asText()
                + "/"
                + meta.path("namespace").asText()
                + "/"
                + meta.path("name").asText(),
            object);
      }
    }
    return objects;
  }

  /**
   * Enough of the Prometheus operator's CRDs for the API server to take a ServiceMonitor and a
   * PrometheusRule: the kinds, with any content.
   */
  private static void installMonitoringCrds() {
    for (String plural : List.of("servicemonitors", "prometheusrules")) {
      String kind = plural.equals("servicemonitors") ? "ServiceMonitor" : "PrometheusRule";
      String crd =
          """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: %s.monitoring.coreos.com}
          spec:
            group: monitoring.coreos.com
            scope: Namespaced
            names: {plural: %s, kind: %s}
            versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
          """
              .formatted(plural, plural, kind);
      Path file;
      try {
        file = Files.createTempFile("crd-", ".yaml");
        Files.writeString(file, crd);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Kubectl.run("apply", "--server-side", "-f", file.toString());
      Kubectl.run(
          "wait", "--for=condition=Established", "crd/" + plural + ".monitoring.coreos.com");
    }
  }

  private static Path chart(Testbed testbed) {
    return testbed.checkoutRoot().resolve("deploy/chart/freshet");
  }

  private static String helm(Testbed testbed, String... args) {
    return helm(testbed, List.of(args));
  }

  /** Runs the testbed's helm (testbed/helm.sh builds it once) against the testbed. */
  private static String helm(Testbed testbed, List<String> args) {
    var command = new ArrayList<>(List.of(helmBinary(testbed).toString()));
    command.addAll(args);
    command.addAll(List.of("--kubeconfig", testbed.kubeconfig().toString()));
    return run(testbed, command);
  }

  private static Path helmBinary;

  private static synchronized Path helmBinary(Testbed testbed) {
    if (helmBinary == null) {
      String printed =
          run(
              testbed,
              List.of("bash", testbed.checkoutRoot().resolve("testbed/helm.sh").toString()));
      helmBinary = Path.of(printed.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
    return helmBinary;
  }

  private static String run(Testbed testbed, List<String> command) {
    try {
      // Standard error apart: what helm prints there (warnings) is not part of a rendering.
      Path errors = Files.createTempFile("helm-", ".err");
      var process =
          new ProcessBuilder(command)
              .directory(testbed.checkoutRoot().toFile())
              .redirectError(errors.toFile())
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue())
          .as("%s%n%s%n%s", command, output, Files.readString(errors))
          .isZero();
      Files.delete(errors);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
