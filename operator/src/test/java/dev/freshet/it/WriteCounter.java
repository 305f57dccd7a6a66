package dev.freshet.it;

import dev.freshet.observe.ApiWriteMetrics;
import dev.freshet.testbed.Testbed;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that counts the writes sent through it, by verb and resource ({@code PATCH deployments},
 * {@code POST events}): what an operator running on it costs the API server, without the writes of
 * the cluster's own controllers that the API server's metrics would mix in.
 */
public final class WriteCounter {
  private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> conflicted = new ConcurrentHashMap<>();

  /** A new client in {@code namespace} whose writes this counts; the caller closes it. */
  public KubernetesClient clientIn(Testbed testbed, String namespace) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(testbed.config()).withNamespace(namespace).build())
        .withHttpClientBuilderConsumer(
            builder ->
                builder.addOrReplaceInterceptor(
                    "count-writes",
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        if (!request.method().equals("GET")) {
                          count(writes, request);
                        }
                      }

                      @Override
                      public void after(
                          HttpRequest request,
                          HttpResponse<?> response,
                          AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                        if (!request.method().equals("GET") && response.code() == 409) {
                          count(conflicted, request);
                        }
                      }
                    }))
        .build();
  }

  private static void count(Map<String, AtomicInteger> counts, HttpRequest request) {
    counts
        .computeIfAbsent(
            request.method() + " " + ApiWriteMetrics.resource(request.uri().getPath()),
            k -> new AtomicInteger())
        .incrementAndGet();
  }

  /**
   * Of the writes counted, those the API server refused with 409 Conflict (a copy gone stale, a
   * field another manager owns): sent, but nothing written.
   */
  public Map<String, Integer> conflicts() {
    Map<String, Integer> counts = new TreeMap<>();
    conflicted.forEach((key, n) -> counts.put(key, n.get()));
    return counts;
  }

  /** The writes counted so far, by verb and resource. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    writes.forEach((key, n) -> counts.put(key, n.get()));
    return counts;
  }

  /**
   * The writes counted since {@code before} (an earlier {@link #counts()}), by verb and resource.
   */
  public Map<String, Integer> since(Map<String, Integer> before) {
    Map<String, Integer> since = new TreeMap<>();
    counts()
        .forEach(
            (key, n) -> {
              int more = n - before.getOrDefault(key, 0);
              if (more > 0) {
                since.put(key, more);
              }
            });
    return since;
  }
}
