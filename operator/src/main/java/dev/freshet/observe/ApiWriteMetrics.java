package dev.freshet.observe;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Counts the writes the operator sends the API server, as {@value #METRIC}{@code {verb, resource}}
 * ({@code PATCH deployments}, {@code POST events}, {@code PATCH apps/status}): what Freshet costs
 * the control plane, apart from the writes of the cluster's own controllers that the API server's
 * {@code apiserver_request_total} mixes in. controller-runtime's {@code rest_client_requests_total}
 * plays this part for Go operators; fabric8 has no such meter, so an interceptor on the client's
 * requests counts them. Those refused with 409 are counted again apart ({@value
 * #CONFLICTS_METRIC}), so what was written is the difference.
 */
public final class ApiWriteMetrics implements Interceptor {
  /** The counter's name. */
  public static final String METRIC = "freshet_kubernetes_writes_total";

  /**
   * Of those writes, the ones the API server refused with 409 Conflict: made from a copy that was
   * no longer the latest, or setting a field another manager owns. Sent, but nothing was written.
   */
  public static final String CONFLICTS_METRIC = "freshet_kubernetes_write_conflicts_total";

  /** The name this interceptor is registered under on a client's HTTP builder. */
  public static final String NAME = "freshet-write-metrics";

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final MeterRegistry meters;

  public ApiWriteMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!READS.contains(request.method())) {
      meters
          .counter(METRIC, "verb", request.method(), "resource", resource(request.uri().getPath()))
          .increment();
    }
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (!READS.contains(request.method()) && response.code() == 409) {
      meters
          .counter(
              CONFLICTS_METRIC,
              "verb",
              request.method(),
              "resource",
              resource(request.uri().getPath()))
          .increment();
    }
  }

  /**
   * {@code deployments}, {@code deployments/status} or {@code events} from a request's path; the
   * name and namespace are left out, so the label has few values. Freshet writes namespaced objects
   * only; anything else is {@code namespaces} or {@code other}, never a name.
   */
  public static String resource(String path) {
    List<String> segments = List.of(path.replaceFirst("^/", "").split("/"));
    int namespaces = segments.indexOf("namespaces");
    if (namespaces < 0) {
      return "other";
    }
    if (segments.size() <= namespaces + 2) {
      return "namespaces";
    }
    String resource = segments.get(namespaces + 2);
    return segments.size() > namespaces + 4
        ? resource + "/" + segments.get(namespaces + 4)
        : resource;
  }
}
