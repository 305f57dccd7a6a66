package dev.freshet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.RunningOperator;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.update.CachedObjects;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every informer of a workload kind, and of Apps, lists in pages: a cluster's whole list of
 * Deployments, held and decoded in one piece before any of it is pruned, ran the operator's heap
 * out at 10,000 (the bench's footprint at that size is the measure of it). Against the testbed's
 * API server, by the list requests the operator's client sends.
 */
@WithTestbed
class PagedListsIT {

  @Test
  void theInformersOfWorkloadsServicesAndAppsAskForOnePageAtATime(
      Testbed testbed, TestNamespace ns) {
    Map<String, String> listLimits = new ConcurrentHashMap<>();
    try (KubernetesClient client = listRecordingClient(testbed, ns.name(), listLimits);
        var freshet = RunningOperator.start(client, ns.name())) {
      String page = Long.toString(CachedObjects.LIST_PAGE);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(listLimits)
                      .containsEntry("apps", page)
                      .containsEntry("deployments", page)
                      .containsEntry("statefulsets", page)
                      .containsEntry("daemonsets", page)
                      .containsEntry("cronjobs", page)
                      .containsEntry("services", page));
    }
  }

  /**
   * A client in {@code namespace} that records, for each resource listed through it (a GET of a
   * collection, not a watch), the {@code limit} it asked for, or "none".
   */
  private static KubernetesClient listRecordingClient(
      Testbed testbed, String namespace, Map<String, String> listLimits) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(testbed.config()).withNamespace(namespace).build())
        .withHttpClientBuilderConsumer(
            builder ->
                builder.addOrReplaceInterceptor(
                    "record-lists",
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String query = request.uri().getRawQuery();
                        if (!request.method().equals("GET")
                            || (query != null && query.contains("watch=true"))) {
                          return;
                        }
                        String[] path = request.uri().getPath().split("/");
                        String resource = path[path.length - 1];
                        String limit = "none";
                        for (String parameter : query == null ? new String[0] : query.split("&")) {
                          if (parameter.startsWith("limit=")) {
                            limit = parameter.substring("limit=".length());
                          }
                        }
                        listLimits.putIfAbsent(resource, limit);
                      }
                    }))
        .build();
  }
}
