package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiWriteMetricsTest {
  @Test
  void aWriteIsCountedByItsResourceNeverByName() {
    assertThat(ApiWriteMetrics.resource("/apis/apps/v1/namespaces/shop/deployments/web"))
        .isEqualTo("deployments");
    assertThat(
            ApiWriteMetrics.resource("/apis/freshet.dev/v1alpha1/namespaces/shop/apps/web/status"))
        .isEqualTo("apps/status");
    assertThat(ApiWriteMetrics.resource("/api/v1/namespaces/shop/events")).isEqualTo("events");
    assertThat(ApiWriteMetrics.resource("/api/v1/namespaces/shop")).isEqualTo("namespaces");
    assertThat(ApiWriteMetrics.resource("/api/v1/nodes/kwok-node-0")).isEqualTo("other");
  }
}
