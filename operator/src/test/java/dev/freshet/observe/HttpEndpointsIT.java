package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.AppCrd;
import dev.freshet.it.RunningOperator;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Readiness follows the operator's start; health and Prometheus metrics are served alongside. */
@WithTestbed
class HttpEndpointsIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesAndMetricsAnswerFromTheRunningOperator(KubernetesClient client, TestNamespace ns)
      throws Exception {
    AppCrd.install(Testbed.get().client());
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var operator =
        FreshetOperator.create(
            client,
            new OperatorSettings(Set.of(ns.name()), Duration.ofMinutes(10), Optional.empty()),
            metrics,
            RunningOperator.testbedPoller());
    try (var endpoints =
        new HttpEndpoints(
            new InetSocketAddress("127.0.0.1", 0), operator::getRuntimeInfo, metrics)) {
      endpoints.start();
      assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(503);

      operator.start();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(200));
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
      var scrape = get(endpoints, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("operator_sdk_");
    } finally {
      operator.stop();
    }
  }

  private HttpResponse<String> get(HttpEndpoints endpoints, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
