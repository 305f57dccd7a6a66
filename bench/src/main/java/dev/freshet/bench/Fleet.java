package dev.freshet.bench;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppSpec;
import dev.freshet.app.api.ServiceSpec;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * N Deployments over M images ({@code w-i} runs image {@code i mod M}), annotated as the operator
 * under test wants tracked workloads annotated, with zero replicas: 10,000 one-replica Deployments
 * would be 10,000 pods for the scheduler and kwok on two cores, while a tracked workload is polled
 * the same with or without pods.
 */
record Fleet(String namespace, int workloads, BenchImages images) {

  int imageOf(int workload) {
    return workload % images.count();
  }

  static String name(int workload) {
    return "w-" + workload;
  }

  static int index(String name) {
    return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
  }

  List<Deployment> deployments(String annotationTemplate, Duration interval) {
    Map<String, String> annotations = annotations(annotationTemplate, interval);
    return IntStream.range(0, workloads)
        .mapToObj(
            i -> {
              Deployment d = Workloads.deployment(name(i), images.image(imageOf(i)).reference(), 0);
              d.getMetadata().setNamespace(namespace);
              d.getMetadata().setAnnotations(annotations);
              return d;
            })
        .toList();
  }

  /**
   * The same fleet as Apps (Freshet's own resource): zero replicas, no Service (a testbed's /24
   * Service range holds 254), following each image's digest; Freshet names each App's Deployment
   * after it.
   */
  List<App> apps(Duration interval) {
    return IntStream.range(0, workloads)
        .mapToObj(
            i -> {
              var spec = new AppSpec();
              spec.setImage(images.image(imageOf(i)).reference());
              spec.setReplicas(0);
              spec.setService(new ServiceSpec(ServiceSpec.Type.None));
              var update = new UpdateSpec();
              update.setPolicy(UpdateSpec.Policy.DIGEST);
              update.setInterval(interval.toSeconds() + "s");
              spec.setUpdate(update);
              var app = new App();
              app.setMetadata(
                  new ObjectMetaBuilder().withName(name(i)).withNamespace(namespace).build());
              app.setSpec(spec);
              return app;
            })
        .toList();
  }

  /**
   * {@code key=value,key=value}, with {@code {interval}} replaced by the poll interval in seconds
   * followed by {@code s}.
   */
  static Map<String, String> annotations(String template, Duration interval) {
    Map<String, String> annotations = new LinkedHashMap<>();
    for (String pair : template.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "annotation template entries are key=value, not: " + pair);
      }
      annotations.put(
          pair.substring(0, eq).trim(),
          pair.substring(eq + 1).trim().replace("{interval}", interval.toSeconds() + "s"));
    }
    return annotations;
  }

  /** Whether workload {@code name}'s template names its image's current digest. */
  boolean current(String name, String image) {
    return image.contains(images.image(imageOf(index(name))).digest());
  }
}
